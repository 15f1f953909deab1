import type { TDb } from '../../adapters/database/database.js';
import type { TMail } from '../../adapters/mail/mailer.js';
import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';

/** Waiting-list e-mails; the offer carries the claim link, derived again from the entry when the job runs. */
export function createWaitlistMails(deps: {
  db: TDb;
  publicUrl: string;
  claimToken: (entryId: number, offerExpiresAt: Date) => string;
}) {
  const { db, publicUrl, claimToken } = deps;

  const load = async (entryId: number) => {
    const entry = await db
      .selectFrom('waitlist_entries')
      .innerJoin('ticket_types', 'ticket_types.id', 'waitlist_entries.ticket_type_id')
      .innerJoin('events', 'events.id', 'ticket_types.event_id')
      .select([
        'waitlist_entries.id',
        'waitlist_entries.email',
        'waitlist_entries.status',
        'waitlist_entries.offer_expires_at',
        'ticket_types.name as type_name',
        'events.title',
        'events.slug',
      ])
      .where('waitlist_entries.id', '=', entryId)
      .executeTakeFirst();
    if (!entry) throw new Error(`waitlist entry ${entryId} not found`);
    return entry;
  };

  return {
    async waitlist_joined(entryId: number): Promise<TMail> {
      const entry = await load(entryId);
      return {
        to: entry.email,
        subject: `You are on the waiting list: ${entry.title}`,
        text: `You are on the waiting list for "${entry.type_name}" at ${entry.title}. If a ticket comes free, we will e-mail you a link to claim it.\n`,
        html: renderMailLayout({
          title: 'You are on the waiting list',
          publicUrl,
          body: `<p>You are on the waiting list for <strong>${escapeHtml(entry.type_name)}</strong> at ${escapeHtml(entry.title)}. If a ticket comes free, we will e-mail you a link to claim it.</p>`,
        }),
      };
    },

    async waitlist_offer(entryId: number): Promise<TMail | null> {
      const entry = await load(entryId);
      if (entry.status !== 'offered' || !entry.offer_expires_at) return null;
      const link = `${publicUrl}/waitlist/claim?token=${encodeURIComponent(claimToken(entry.id, entry.offer_expires_at))}`;
      const until = entry.offer_expires_at.toUTCString();
      return {
        to: entry.email,
        subject: `A ticket is free for you: ${entry.title}`,
        text: `Good news: a "${entry.type_name}" ticket for ${entry.title} is kept for you until ${until}.\n\nClaim it here: ${link}\n`,
        html: renderMailLayout({
          title: 'A ticket is free for you',
          publicUrl,
          body: `<p>A <strong>${escapeHtml(entry.type_name)}</strong> ticket for ${escapeHtml(entry.title)} is kept for you until ${escapeHtml(until)}.</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;background:#3b2db3;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Claim my ticket</a></p>`,
        }),
      };
    },
  };
}
