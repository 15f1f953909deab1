import { z } from 'zod';
import type { TDb } from '../../adapters/database/database.js';
import type { TStorage } from '../../adapters/storage/storage.js';
import type { TClock } from '../../lib/clock.js';
import { errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';

export const ZDevMail = z
  .object({
    id: z.number().int(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    attachments: z.array(
      z.object({
        filename: z.string(),
        contentType: z.string(),
        size: z.number(),
        url: z.string().nullable().describe('Signed download URL, valid for an hour'),
      }),
    ),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'DevMail' });

const ZMailboxQuery = z.strictObject({
  to: z.string().trim().toLowerCase().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * The dev mailbox: what the app "sent" while MAIL_DRIVER=dev-mailbox, newest first. Registered
 * only with that driver, which production refuses, so it never exists where real people get mail.
 */
export function registerDevMailboxRoutes(
  app: TApp,
  { db, storage, clock }: { db: TDb; storage: TStorage; clock: TClock },
) {
  app.get(
    '/dev/mailbox',
    {
      schema: {
        tags: ['Development'],
        summary: 'Mail stored by the dev mailbox',
        querystring: ZMailboxQuery,
        response: { 200: z.array(ZDevMail), ...errorResponses },
      },
    },
    async (req) => {
      let query = db
        .selectFrom('dev_mail')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(req.query.limit);
      if (req.query.to) query = query.where('to_address', '=', req.query.to);
      const rows = await query.execute();
      // Attachments open through short-lived signed URLs, like every other stored file.
      const expiresAt = new Date(clock.now().getTime() + 60 * 60_000);
      const attachmentsOf = (list: (typeof rows)[number]['attachments']) =>
        Promise.all(
          list.map(async (a) => ({
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
            url: a.key ? (await storage.signedUrl(a.key, expiresAt)).url : null,
          })),
        );
      return Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          to: r.to_address,
          subject: r.subject,
          text: r.text_body,
          html: r.html_body,
          headers: r.headers,
          attachments: await attachmentsOf(r.attachments),
          createdAt: r.created_at.toISOString(),
        })),
      );
    },
  );
}
