import type { TDb } from '../../adapters/database/database.js';
import type { TMail } from '../../adapters/mail/mailer.js';
import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';
import { parseTopic } from './subscriptions.schema.js';

/** What a topic is called in an e-mail: "the newsletter", an organizer's or an event's name. */
export async function describeTopic(db: TDb, topic: string): Promise<string> {
  const target = parseTopic(topic);
  if (target.kind === 'newsletter') return 'the TickItNow newsletter';
  if (target.kind === 'organizer') {
    const row = await db
      .selectFrom('organizers')
      .select('name')
      .where('id', '=', target.id)
      .executeTakeFirst();
    return row ? `news from ${row.name}` : 'news from an organizer';
  }
  const row = await db
    .selectFrom('events')
    .select('title')
    .where('id', '=', target.id)
    .executeTakeFirst();
  return row ? `updates about ${row.title}` : 'updates about an event';
}

/** The double opt-in e-mail; rendered when the job runs, skipped if a newer link was sent since. */
export function createSubscriptionMails(deps: {
  db: TDb;
  publicUrl: string;
  confirmToken: (id: number, generation: number) => string;
}) {
  const { db, publicUrl, confirmToken } = deps;
  return {
    async subscription_confirm(subscriptionId: number, generation: number): Promise<TMail | null> {
      const row = await db
        .selectFrom('subscriptions')
        .selectAll()
        .where('id', '=', subscriptionId)
        .executeTakeFirst();
      if (!row || row.status !== 'pending' || row.confirm_generation !== generation) return null;
      const what = await describeTopic(db, row.topic);
      const link = `${publicUrl}/subscriptions/confirm?token=${encodeURIComponent(confirmToken(row.id, generation))}`;
      return {
        to: row.email,
        subject: `Confirm your subscription to ${what}`,
        text: `Please confirm that you want to receive ${what}:\n\n${link}\n\nIf you did not ask for this, ignore this e-mail and nothing will be sent to you.\n`,
        html: renderMailLayout({
          title: 'Confirm your subscription',
          publicUrl,
          body: `<p>Please confirm that you want to receive ${escapeHtml(what)}.</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;background:#3b2db3;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm subscription</a></p>
<p>If you did not ask for this, ignore this e-mail and nothing will be sent to you.</p>`,
        }),
      };
    },
  };
}
