/** "Saturday, 1 June 2030, 19:00 – 23:00 (Europe/Lisbon)" in the event's own time zone. */
export function formatEventTime(startsAt: Date, endsAt: Date, timezone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, timeStyle: 'short' });
  const sameDay = day.format(startsAt) === day.format(endsAt);
  const end = sameDay ? time.format(endsAt) : `${day.format(endsAt)}, ${time.format(endsAt)}`;
  return `${day.format(startsAt)}, ${time.format(startsAt)} – ${end} (${timezone})`;
}
