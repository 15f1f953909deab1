import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { TMail, TMailer } from './mailer.js';

/** The JSON an SNS subscriber receives for one e-mail (the Step Functions workflow sends the same). */
export function toSnsMessage(mail: TMail): string {
  return JSON.stringify({
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
    headers: mail.headers ?? {},
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.content.length,
    })),
  });
}

/** SNS messages are limited to 256 KB; attachments travel as links instead. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Mail in AWS through SNS: each message (sign-in codes, notifications) is published to a topic
 * whose subscribers deliver it (an e-mail protocol subscription or a delivery function). The
 * message is JSON with the recipient, subject and both bodies; attachments are not carried.
 */
export function createSnsMailer(options: {
  topicArn: string;
  region: string;
  client?: SNSClient;
}): TMailer & { client: SNSClient } {
  const client = options.client ?? new SNSClient({ region: options.region, maxAttempts: 3 });
  return {
    kind: 'sns',
    client,
    async send(mail) {
      const message = toSnsMessage(mail);
      if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES)
        throw new Error('mail too large for SNS (256 KB)');
      await client.send(
        new PublishCommand({
          TopicArn: options.topicArn,
          // Subjects are limited to 100 printable ASCII characters by SNS.
          Subject: mail.subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
          Message: message,
          MessageAttributes: {
            to: { DataType: 'String', StringValue: mail.to },
            ...(mail.headers?.['X-TickItNow-Message']
              ? {
                  messageId: {
                    DataType: 'String',
                    StringValue: mail.headers['X-TickItNow-Message'],
                  },
                }
              : {}),
          },
        }),
      );
    },
    close() {
      client.destroy();
      return Promise.resolve();
    },
  };
}
