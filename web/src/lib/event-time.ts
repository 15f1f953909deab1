/**
 * Event dates are shown in the event's own time zone: a concert in Lisbon at 20:00 is at 20:00
 * for everyone, wherever they browse from.
 */

/** The locale used for dates and numbers: the browser's language. */
export const appLocale: string =
  typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per locale, zone and style: creating an Intl.DateTimeFormat costs far more than
 * formatting with it, and a list shows many events in few zones.
 */
function formatterFor(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Loads the browser's date-formatting data (ICU) for the app's locale. The first date formatter a
 * page creates pays for it: ≈ 40–60 ms of main thread on a mid-range phone, which otherwise falls
 * in the middle of rendering the first list or event. Called once at start-up, while the page's
 * first data request is on the network (main.tsx).
 */
export function prepareDateFormatting(locale = appLocale): void {
  formatterFor(locale, { timeZone: 'UTC', dateStyle: 'medium' }).format(0);
}

/** A compact start date and time for cards, e.g. "Sat, Dec 5, 2026, 8:00 PM". */
export function formatEventStart(startsAt: string, timeZone: string, locale = appLocale): string {
  return formatterFor(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(startsAt));
}

/** Start to end in full, e.g. "Saturday, December 5, 2026, 8:00 PM – 11:00 PM". */
export function formatEventRange(
  startsAt: string,
  endsAt: string,
  timeZone: string,
  locale = appLocale,
): string {
  return formatterFor(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).formatRange(new Date(startsAt), new Date(endsAt));
}

/** The zone named for people, e.g. "Europe/Lisbon (GMT+1)", using the offset at `at`. */
export function formatTimeZone(timeZone: string, at: string, locale = appLocale): string {
  const offset = formatterFor(locale, { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  return offset ? `${timeZone.replaceAll('_', ' ')} (${offset})` : timeZone.replaceAll('_', ' ');
}

/** A plain date and time in the reader's zone, for logs and mail lists. */
export function formatTimestamp(instant: string, locale = appLocale): string {
  return formatterFor(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(instant),
  );
}
