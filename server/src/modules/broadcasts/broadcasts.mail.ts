import type { TMail } from '../../adapters/mail/mailer.js';
import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';

/**
 * One recipient's copy of a broadcast. Every copy carries an unsubscribe link for the topic it
 * reached the recipient through, in the footer and as `List-Unsubscribe` (RFC 2369) with
 * one-click POST (RFC 8058).
 */
export function renderBroadcastMail(input: {
  broadcast: { id: number; subject: string; body: string; title: string; slug: string };
  delivery: { id: number; email: string; topic: string };
  publicUrl: string;
  unsubscribeToken: string;
}): TMail {
  const { broadcast, delivery, publicUrl } = input;
  const token = encodeURIComponent(input.unsubscribeToken);
  const unsubscribePage = `${publicUrl}/unsubscribe?token=${token}`;
  const unsubscribeApi = `${publicUrl}/api/v1/subscriptions/unsubscribe?token=${token}`;
  const eventUrl = `${publicUrl}/events/${broadcast.slug}`;
  const paragraphs = broadcast.body.split(/\n{2,}/);
  const html = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  return {
    to: delivery.email,
    subject: broadcast.subject,
    text: `${broadcast.body}\n\nEvent page: ${eventUrl}\n\n--\nYou receive this about ${broadcast.title}. Unsubscribe: ${unsubscribePage}\n`,
    html: renderMailLayout({
      title: broadcast.subject,
      publicUrl,
      body: `${html}\n<p><a href="${escapeHtml(eventUrl)}">${escapeHtml(broadcast.title)}</a></p>`,
      footer: `You receive this about ${escapeHtml(broadcast.title)}. <a href="${escapeHtml(unsubscribePage)}">Unsubscribe</a>.`,
    }),
    headers: {
      'List-Unsubscribe': `<${unsubscribeApi}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-TickItNow-Message': `broadcast-${broadcast.id}-${delivery.id}`,
    },
  };
}
