import nodemailer from 'nodemailer';
import type { TMailer } from './mailer.js';

/** Real delivery through an SMTP server (SES, Postmark, a company relay…). */
export function createSmtpMailer(options: { url: string; from: string }): TMailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
      });
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
