import type { TDb } from '../../adapters/database/database.js';
import type { TMail } from '../../adapters/mail/mailer.js';
import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';
import { formatEventTime } from '../../lib/event-time.js';
import { rememberRecent } from '../../lib/remember-recent.js';
import type { TTicketsService } from '../tickets/tickets.service.js';

const currencyFormat = rememberRecent(
  200,
  (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }),
);
const money = (cents: number, currency: string) => currencyFormat(currency).format(cents / 100);

const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#3b2db3;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>`;

/**
 * E-mails about orders, rendered when the job runs from the current state of the order, so a
 * retried job sends the same message. Each renders a plain-text and an HTML part.
 */
export function createOrderMails(deps: { db: TDb; tickets: TTicketsService; publicUrl: string }) {
  const { db, tickets, publicUrl } = deps;

  async function load(orderId: string) {
    const order = await db
      .selectFrom('orders')
      .innerJoin('events', 'events.id', 'orders.event_id')
      .innerJoin('users', 'users.id', 'orders.user_id')
      .select([
        'orders.id',
        'orders.status',
        'orders.total_cents',
        'orders.currency',
        'users.email',
        'users.name',
        'events.title',
        'events.slug',
        'events.starts_at',
        'events.ends_at',
        'events.timezone',
        'events.venue_name',
        'events.venue_city',
        'events.online_url',
      ])
      .where('orders.id', '=', orderId)
      .executeTakeFirst();
    if (!order) throw new Error(`order ${orderId} not found`);
    const items = await db
      .selectFrom('order_items')
      .innerJoin('ticket_types', 'ticket_types.id', 'order_items.ticket_type_id')
      .select(['ticket_types.name', 'order_items.quantity', 'order_items.unit_price_cents'])
      .where('order_items.order_id', '=', orderId)
      .execute();
    const when = formatEventTime(order.starts_at, order.ends_at, order.timezone);
    const where = order.venue_name
      ? `${order.venue_name}, ${order.venue_city ?? ''}`
      : (order.online_url ?? 'Online');
    const lines = items.map(
      (i) => `${i.quantity} × ${i.name} (${money(i.unit_price_cents, order.currency)})`,
    );
    return {
      order,
      items,
      when,
      where,
      lines,
      eventUrl: `${publicUrl}/events/${order.slug}`,
      ticketsUrl: `${publicUrl}/tickets`,
    };
  }

  return {
    async order_confirmed(orderId: string): Promise<TMail | null> {
      const { order, when, where, lines, ticketsUrl } = await load(orderId);
      if (order.status !== 'paid') return null;
      const pdf = await tickets.renderOrderPdf(orderId);
      const text = [
        `Your tickets for ${order.title} are confirmed.`,
        '',
        `When:  ${when}`,
        `Where: ${where}`,
        '',
        ...lines,
        `Total: ${money(order.total_cents, order.currency)}`,
        '',
        `Your tickets (with QR codes) are attached as a PDF and in your account: ${ticketsUrl}`,
        `Order ${order.id}`,
      ].join('\n');
      const html = renderMailLayout({
        title: `Your tickets for ${order.title}`,
        publicUrl,
        body: `<p><strong>${escapeHtml(when)}</strong><br>${escapeHtml(where)}</p>
<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<p>Total: <strong>${escapeHtml(money(order.total_cents, order.currency))}</strong></p>
<p>Your tickets are attached as a PDF. Show the QR code at the door, on paper or on your phone.</p>
${button(ticketsUrl, 'Show my tickets')}
<p style="font-size:12px;color:#555">Order ${escapeHtml(order.id)}</p>`,
      });
      return {
        to: order.email,
        subject: `Your tickets: ${order.title}`,
        text,
        html,
        ...(pdf
          ? {
              attachments: [
                {
                  filename: `tickets-${order.slug}.pdf`,
                  contentType: 'application/pdf',
                  content: pdf,
                },
              ],
            }
          : {}),
      };
    },

    async order_cancelled(orderId: string): Promise<TMail> {
      const { order, lines, eventUrl } = await load(orderId);
      const text = [
        `Your order for ${order.title} was cancelled.`,
        '',
        ...lines,
        '',
        `Event page: ${eventUrl}`,
        `Order ${order.id}`,
      ].join('\n');
      return {
        to: order.email,
        subject: `Order cancelled: ${order.title}`,
        text,
        html: renderMailLayout({
          title: 'Order cancelled',
          publicUrl,
          body: `<p>Your order for <strong>${escapeHtml(order.title)}</strong> was cancelled and its tickets are no longer valid.</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        }),
      };
    },

    async order_refunded(orderId: string): Promise<TMail> {
      const { order, lines } = await load(orderId);
      const amount = money(order.total_cents, order.currency);
      return {
        to: order.email,
        subject: `Refund: ${order.title}`,
        text: [
          `Your order for ${order.title} was cancelled and ${amount} refunded.`,
          'Its tickets are no longer valid.',
          '',
          ...lines,
          `Order ${order.id}`,
        ].join('\n'),
        html: renderMailLayout({
          title: 'Order refunded',
          publicUrl,
          body: `<p>Your order for <strong>${escapeHtml(order.title)}</strong> was cancelled and <strong>${escapeHtml(amount)}</strong> refunded. Its tickets are no longer valid.</p>`,
        }),
      };
    },

    async hold_expired(orderId: string): Promise<TMail> {
      const { order, eventUrl } = await load(orderId);
      return {
        to: order.email,
        subject: `Your reserved tickets were released: ${order.title}`,
        text: `The tickets you reserved for ${order.title} were not paid in time and went back on sale.\n\nYou can try again: ${eventUrl}\n`,
        html: renderMailLayout({
          title: 'Reservation expired',
          publicUrl,
          body: `<p>The tickets you reserved for <strong>${escapeHtml(order.title)}</strong> were not paid in time and went back on sale.</p>${button(eventUrl, 'Try again')}`,
        }),
      };
    },

    async event_cancelled(orderId: string): Promise<TMail> {
      const { order, when } = await load(orderId);
      const refund =
        order.status === 'refunded'
          ? ` Your payment of ${money(order.total_cents, order.currency)} is being refunded.`
          : '';
      return {
        to: order.email,
        subject: `Cancelled: ${order.title}`,
        text: `We are sorry: ${order.title} (${when}) has been cancelled by the organizer.${refund}\nYour tickets are no longer valid.\n`,
        html: renderMailLayout({
          title: `${order.title} is cancelled`,
          publicUrl,
          body: `<p>We are sorry: <strong>${escapeHtml(order.title)}</strong> (${escapeHtml(when)}) has been cancelled by the organizer.${escapeHtml(refund)}</p><p>Your tickets are no longer valid.</p>`,
        }),
      };
    },
  };
}
