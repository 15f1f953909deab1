import type { FastifyBaseLogger } from 'fastify';
import type { TDb } from '../database/database.js';
import type { TStorage } from '../storage/storage.js';
import type { TMailer } from './mailer.js';

/** A storage-safe name for an attachment: lower-case letters, digits, dots and dashes. */
const safeName = (filename: string) =>
  filename
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 80) || 'attachment';

/**
 * Mail that never leaves the machine: stored in the database (so every instance sees it and it
 * survives restarts), shown at /dev/mailbox and printed to the log. Attachments go to the storage
 * port so the mailbox can offer them for download, as a mail client would.
 */
export function createDevMailbox(db: TDb, storage: TStorage, logger: FastifyBaseLogger): TMailer {
  return {
    kind: 'dev-mailbox',
    async send(mail) {
      const attachments = mail.attachments ?? [];
      await db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('dev_mail')
          .values({
            to_address: mail.to.toLowerCase(),
            subject: mail.subject,
            text_body: mail.text,
            html_body: mail.html ?? null,
            headers: JSON.stringify(mail.headers ?? {}),
            attachments: '[]',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const stored = await Promise.all(
          attachments.map(async (a, index) => {
            const key = `dev-mail/${id}/${index}-${safeName(a.filename)}`;
            await storage.put(key, a.content, a.contentType);
            return {
              filename: a.filename,
              contentType: a.contentType,
              size: a.content.length,
              key,
            };
          }),
        );
        if (stored.length)
          await trx
            .updateTable('dev_mail')
            .set({ attachments: JSON.stringify(stored) })
            .where('id', '=', id)
            .execute();
      });
      logger.info(
        { to: mail.to, subject: mail.subject },
        'dev mailbox: mail stored (open /dev/mailbox to read it)',
      );
    },
    close: () => Promise.resolve(),
  };
}
