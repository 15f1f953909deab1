import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../src/adapters/mail/smtp-mailer.js';
import { createSnsMailer } from '../../src/adapters/mail/sns-mailer.js';
import type { TMailer } from '../../src/adapters/mail/mailer.js';
import { mailContract, type TReceivedMail } from '../contracts/mail-contract.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

describe('dev mailbox (stored in the database, attachments in storage)', () => {
  let ctx: TTestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  mailContract(() => ({
    mailer: ctx.deps.mailer,
    async received(to) {
      const rows = await ctx.db
        .selectFrom('dev_mail')
        .selectAll()
        .where('to_address', '=', to)
        .orderBy('id')
        .execute();
      return Promise.all(
        rows.map(async (row): Promise<TReceivedMail> => {
          const stored = row.attachments as {
            filename: string;
            contentType: string;
            key: string;
          }[];
          return {
            to: row.to_address,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
            headers: Object.fromEntries(
              Object.entries(row.headers).map(([k, v]) => [k.toLowerCase(), v]),
            ),
            attachments: await Promise.all(
              stored.map(async (a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: (await ctx.deps.storage.get(a.key))?.body ?? Buffer.alloc(0),
              })),
            ),
          };
        }),
      );
    },
  }));
});

describe('SMTP through nodemailer, against a real SMTP server (smtp-server + mailparser)', () => {
  let server: SMTPServer;
  let mailer: TMailer;
  const inbox: TReceivedMail[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const recipients = session.envelope.rcptTo.map((r) => r.address);
            for (const to of recipients)
              inbox.push({
                to,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : null,
                headers: Object.fromEntries(
                  parsed.headerLines.map((h) => [
                    h.key,
                    h.line.slice(h.line.indexOf(':') + 1).trim(),
                  ]),
                ),
                attachments: parsed.attachments.map((a) => ({
                  filename: a.filename ?? '',
                  contentType: a.contentType,
                  content: a.content,
                })),
              });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${port}`,
      from: 'TickItNow <no-reply@tickitnow.test>',
    });
  });
  afterAll(async () => {
    await mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  mailContract(() => ({
    mailer,
    received: (to) => Promise.resolve(inbox.filter((m) => m.to === to)),
  }));

  it('fails loudly (so the job retries) when the SMTP server is unreachable', async () => {
    const down = createSmtpMailer({ url: 'smtp://127.0.0.1:1', from: 'x@tickitnow.test' });
    await expect(down.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toThrow();
    await down.close();
  });
});

describe('SNS publishing (aws-sdk-client-mock: no SNS server can run here)', () => {
  it('publishes recipient, subject and bodies to the topic, without the attachment bytes', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const mailer = createSnsMailer({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:tickitnow-mail',
      region: 'eu-west-1',
      client: new SNSClient({ region: 'eu-west-1' }),
    });
    await mailer.send({
      to: 'fan@example.test',
      subject: 'Your sign-in code — 123456',
      text: 'Code: 123456',
      headers: { 'X-TickItNow-Message': 'job-7' },
      attachments: [
        { filename: 't.pdf', contentType: 'application/pdf', content: Buffer.alloc(10) },
      ],
    });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:tickitnow-mail');
    expect(input.Subject).toBe('Your sign-in code ? 123456');
    expect(input.MessageAttributes?.['to']?.StringValue).toBe('fan@example.test');
    expect(input.MessageAttributes?.['messageId']?.StringValue).toBe('job-7');
    expect(JSON.parse(input.Message ?? '{}')).toMatchObject({
      to: 'fan@example.test',
      text: 'Code: 123456',
      attachments: [{ filename: 't.pdf', size: 10 }],
    });
    sns.restore();
  });

  it('surfaces an SNS failure so the mail job retries', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const mailer = createSnsMailer({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
      region: 'eu-west-1',
      client: new SNSClient({ region: 'eu-west-1' }),
    });
    await expect(mailer.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toThrow(
      'Throttling',
    );
    sns.restore();
  });
});
