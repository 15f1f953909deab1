/**
 * Intl formatters are costly to build, and a ticket PDF and its e-mail each format a time: one
 * pair per zone, built once.
 */
const formattersByZone = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formattersFor(timezone: string) {
  let formatters = formattersByZone.get(timezone);
  if (!formatters) {
    formatters = {
      day: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, timeStyle: 'short' }),
    };
    // A few hundred zones exist, but Intl accepts any spelling case: bound it all the same.
    if (formattersByZone.size >= 1_000) formattersByZone.clear();
    formattersByZone.set(timezone, formatters);
  }
  return formatters;
}

/** "Saturday, 1 June 2030, 19:00 – 23:00 (Europe/Lisbon)" in the event's own time zone. */
export function formatEventTime(startsAt: Date, endsAt: Date, timezone: string): string {
  const { day, time } = formattersFor(timezone);
  const sameDay = day.format(startsAt) === day.format(endsAt);
  const end = sameDay ? time.format(endsAt) : `${day.format(endsAt)}, ${time.format(endsAt)}`;
  return `${day.format(startsAt)}, ${time.format(startsAt)} – ${end} (${timezone})`;
}
