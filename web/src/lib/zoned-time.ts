/**
 * Converting between a wall-clock time in an IANA time zone (what a `datetime-local` input holds)
 * and an instant. Events are stored as instants plus the zone they happen in, so an organizer in
 * Berlin can type "19:30" for a concert in New York and mean 19:30 New York time.
 */

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

type TWallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at the instant `epochMs`. */
function wallClockAt(epochMs: number, timeZone: string): TWallClock {
  const parts = partFormatter(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = get('year');
  return {
    // Years before 1 CE come back as positive numbers with era "BC"; convert to astronomical years.
    year: era === 'BC' || era === 'B' ? 1 - year : year,
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

function wallClockAsUtcMs(w: TWallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(w.year, w.month - 1, w.day);
  date.setUTCHours(w.hour, w.minute, w.second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return wallClockAsUtcMs(wallClockAt(wholeSecond, timeZone)) - wholeSecond;
}

/** True when `timeZone` is an IANA zone name this browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function parseLocal(local: string): TWallClock {
  const match = localPattern.exec(local);
  if (!match) throw new RangeError(`Not a local date-time (YYYY-MM-DDTHH:mm): "${local}"`);
  const [, year, month, day, hour, minute, second] = match;
  const w = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
  };
  // Reject impossible calendar dates such as 2026-02-30 instead of silently rolling over.
  const check = new Date(wallClockAsUtcMs(w));
  if (
    check.getUTCFullYear() !== w.year ||
    check.getUTCMonth() + 1 !== w.month ||
    check.getUTCDate() !== w.day ||
    w.hour > 23 ||
    w.minute > 59 ||
    w.second > 59
  ) {
    throw new RangeError(`Not a valid date-time: "${local}"`);
  }
  return w;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function formatOffset(offsetMs: number): string {
  const totalMinutes = Math.round(offsetMs / MINUTE_MS);
  const sign = totalMinutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(totalMinutes) / 60))}:${pad(Math.abs(totalMinutes) % 60)}`;
}

function formatWallClock(w: TWallClock, withSeconds: boolean): string {
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  const time = `${pad(w.hour)}:${pad(w.minute)}`;
  return `${date}T${time}${withSeconds ? `:${pad(w.second)}` : ''}`;
}

/**
 * The instant at which clocks in `timeZone` show `local` (`YYYY-MM-DDTHH:mm`), as an ISO 8601
 * string with that zone's offset, e.g. `2026-07-01T19:30:00-04:00`.
 *
 * Like Temporal's "compatible" disambiguation: a time skipped by a daylight-saving jump
 * (02:30 on a spring-forward night) moves forward by the gap; a time that happens twice
 * (02:30 on a fall-back night) resolves to the earlier of the two.
 */
export function zonedLocalToInstant(local: string, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: "${timeZone}"`);
  const wall = parseLocal(local);
  const asUtc = wallClockAsUtcMs(wall);
  // Offsets a day either side bracket any transition near this wall time.
  const offsets = new Set([
    zoneOffsetMs(asUtc - DAY_MS, timeZone),
    zoneOffsetMs(asUtc, timeZone),
    zoneOffsetMs(asUtc + DAY_MS, timeZone),
  ]);
  const matches = [...offsets]
    .map((offset) => asUtc - offset)
    .filter((instant) => wallClockAsUtcMs(wallClockAt(instant, timeZone)) === asUtc)
    .sort((a, b) => a - b);
  const instant = matches[0] ?? asUtc - zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const offset = zoneOffsetMs(instant, timeZone);
  return `${formatWallClock(wallClockAt(instant, timeZone), true)}${formatOffset(offset)}`;
}

/** What a `datetime-local` input should show for `instant` in `timeZone` (`YYYY-MM-DDTHH:mm`). */
export function instantToZonedLocal(instant: string | Date, timeZone: string): string {
  const epochMs = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError(`Not an instant: "${String(instant)}"`);
  return formatWallClock(wallClockAt(epochMs, timeZone), false);
}

/** The browser's own time zone, falling back to UTC when it cannot tell. */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/** Every IANA zone the browser knows, always including `extra` zones (e.g. the event's). */
export function listTimeZones(...extra: string[]): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...extra.filter(Boolean)])].sort((a, b) =>
    a.localeCompare(b),
  );
}
