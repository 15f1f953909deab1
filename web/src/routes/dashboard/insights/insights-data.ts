import type { components } from '../../../api/schema';
import { appLocale } from '../../../lib/event-time';
import { currencyDigits, formatMoney } from '../../../lib/money';

export type TAnalytics = components['schemas']['EventAnalytics'];
export type TAnalyticsDay = TAnalytics['daily'][number];
export type TTicketTypeStats = TAnalytics['byTicketType'][number];
export type TAttendee = components['schemas']['Attendee'];
export type TBroadcast = components['schemas']['Broadcast'];

/** "Mar 4" for the API's `YYYY-MM-DD` day (already in the event's time zone). */
export function formatDay(date: string, locale = appLocale): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(at);
}

/** A whole number for people: "1,234". */
export function formatCount(value: number, locale = appLocale): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** "1 view", "1,234 views". */
export function countOf(value: number, singular: string, plural: string): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/** A share for people: "12.5%"; "—" when there is nothing to divide by yet. */
export function formatPercent(value: number | null, locale = appLocale): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
    value,
  );
}

/** Revenue in the event's currency; "—" when the event has no priced tickets. */
export function formatRevenue(cents: number, currency: string | null, locale = appLocale): string {
  return currency ? formatMoney(cents, currency, locale) : '—';
}

/** Minor units as a plain number of major units, for chart axes (display only, never summed). */
export function toMajorUnits(cents: number, currency: string | null): number {
  return cents / 10 ** (currency ? currencyDigits(currency) : 2);
}

/** Sold plus unsold capacity over all ticket types. */
export function totalCapacity(analytics: TAnalytics): number {
  return analytics.byTicketType.reduce((sum, t) => sum + t.capacity, 0);
}

/** The days in date order; the charts and tables read them left to right. */
export function sortedDays(analytics: TAnalytics): TAnalyticsDay[] {
  return [...analytics.daily].sort((a, b) => a.date.localeCompare(b.date));
}

/** One sentence with what the traffic chart shows, for screen readers. */
export function describeTraffic(analytics: TAnalytics): string {
  const days = sortedDays(analytics);
  if (days.length === 0) return 'No page views yet.';
  const busiest = days.reduce((best, day) => (day.views > best.views ? day : best));
  return `${countOf(analytics.views, 'view', 'views')} by ${countOf(
    analytics.uniqueVisitors,
    'visitor',
    'visitors',
  )} over ${countOf(days.length, 'day', 'days')}; the busiest day was ${formatDay(
    busiest.date,
  )} with ${countOf(busiest.views, 'view', 'views')}.`;
}

/** One sentence with what the sales chart shows. */
export function describeSales(analytics: TAnalytics): string {
  const days = sortedDays(analytics).filter((d) => d.ticketsSold > 0);
  if (days.length === 0) return 'No tickets sold yet.';
  return `${countOf(analytics.ticketsSold, 'ticket', 'tickets')} sold for ${formatRevenue(
    analytics.revenueCents,
    analytics.currency,
  )} on ${countOf(days.length, 'day', 'days')}.`;
}

/** One sentence per ticket type: sold of capacity. */
export function describeTicketTypes(analytics: TAnalytics): string {
  if (analytics.byTicketType.length === 0) return 'This event has no ticket types.';
  return analytics.byTicketType
    .map((t) => `${t.name}: ${formatCount(t.ticketsSold)} of ${formatCount(t.capacity)} sold`)
    .join('; ')
    .concat('.');
}

/** Check-in progress in words. */
export function describeCheckIns(analytics: TAnalytics): string {
  const { admitted, total } = analytics.checkIns;
  if (total === 0) return 'No tickets to check in yet.';
  return `${formatCount(admitted)} of ${countOf(total, 'ticket', 'tickets')} checked in (${formatPercent(
    admitted / total,
  )}).`;
}
