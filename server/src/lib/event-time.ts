import { rememberRecent } from './remember-recent.js';

/**
 * Intl formatters are costly to build, and a ticket PDF and its e-mail each format a time: one
 * pair per zone, built once (a few hundred zones exist, but Intl accepts any spelling case).
 */
const formattersFor = rememberRecent(1_000, (timezone: string) => ({
  day: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full' }),
  time: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, timeStyle: 'short' }),
}));

/** "Saturday, 1 June 2030, 19:00 – 23:00 (Europe/Lisbon)" in the event's own time zone. */
export function formatEventTime(startsAt: Date, endsAt: Date, timezone: string): string {
  const { day, time } = formattersFor(timezone);
  const sameDay = day.format(startsAt) === day.format(endsAt);
  const end = sameDay ? time.format(endsAt) : `${day.format(endsAt)}, ${time.format(endsAt)}`;
  return `${day.format(startsAt)}, ${time.format(startsAt)} – ${end} (${timezone})`;
}
