/** One outgoing e-mail; every message has a plain-text part, most an HTML part too. */
export type TMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
};

/** The mail port: the dev mailbox by default, SMTP or SNS in production. */
export type TMailer = {
  readonly kind: 'dev-mailbox' | 'smtp' | 'sns';
  send(mail: TMail): Promise<void>;
  close(): Promise<void>;
};
