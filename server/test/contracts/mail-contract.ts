import { expect, it } from 'vitest';
import type { TMailer } from '../../src/adapters/mail/mailer.js';

export type TReceivedMail = {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

export type TMailerUnderTest = {
  mailer: TMailer;
  /** What the recipient's side received for `to`, oldest first. */
  received: (to: string) => Promise<TReceivedMail[]>;
};

/** One behaviour for every mail transport: the dev mailbox and SMTP pass the same cases. */
export function mailContract(setup: () => TMailerUnderTest) {
  it('delivers text, HTML, headers and a PDF attachment intact', async () => {
    const { mailer, received } = setup();
    const to = `contract-${Date.now()}@example.test`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 7)]);
    await mailer.send({
      to,
      subject: 'Your tickets — Jazz Night ✓',
      text: 'Hello Zoë,\nyour tickets are attached.\n',
      html: '<p>Hello Zoë, your tickets are attached.</p>',
      headers: {
        'List-Unsubscribe': '<https://tickitnow.test/api/v1/subscriptions/unsubscribe?token=abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-TickItNow-Message': 'job-42',
      },
      attachments: [{ filename: 'tickets.pdf', contentType: 'application/pdf', content: pdf }],
    });
    const [mail, ...rest] = await received(to);
    expect(rest).toHaveLength(0);
    expect(mail).toMatchObject({
      to,
      subject: 'Your tickets — Jazz Night ✓',
      html: '<p>Hello Zoë, your tickets are attached.</p>',
    });
    expect(mail?.text.trim()).toBe('Hello Zoë,\nyour tickets are attached.');
    expect(mail?.headers['list-unsubscribe']).toBe(
      '<https://tickitnow.test/api/v1/subscriptions/unsubscribe?token=abc>',
    );
    expect(mail?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail?.headers['x-tickitnow-message']).toBe('job-42');
    expect(mail?.attachments).toHaveLength(1);
    expect(mail?.attachments[0]?.filename).toBe('tickets.pdf');
    expect(mail?.attachments[0]?.contentType).toBe('application/pdf');
    expect(mail?.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it('sends a plain-text-only message', async () => {
    const { mailer, received } = setup();
    const to = `plain-${Date.now()}@example.test`;
    await mailer.send({ to, subject: 'Code 123456', text: 'Your code is 123456.\n' });
    const [mail] = await received(to);
    expect(mail?.text.trim()).toBe('Your code is 123456.');
    expect(mail?.html).toBeNull();
    expect(mail?.attachments).toEqual([]);
  });
}
