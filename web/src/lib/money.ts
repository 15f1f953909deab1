/**
 * Prices travel as integers in the currency's minor unit (cents for EUR, yen for JPY). They are
 * parsed and printed with string arithmetic, never by multiplying floats: 19.99 × 100 is
 * 1998.9999999999998 in JavaScript, and an organizer must get exactly 1999.
 */
import { appLocale } from './event-time';

/** The API's upper bound for a price, in minor units. */
export const MAX_PRICE_MINOR = 100_000_000;

/** How many decimals the currency uses (2 for EUR, 0 for JPY, 3 for KWD); 2 when unknown. */
export function currencyDigits(currency: string): number {
  try {
    const { maximumFractionDigits } = new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
    }).resolvedOptions();
    return maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** True when `currency` is a three-letter code this browser can format. */
export function isKnownCurrency(currency: string): boolean {
  if (!/^[A-Z]{3}$/.test(currency)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return true;
  } catch {
    return false;
  }
}

/** Minor units as a decimal string of major units, exactly: 1999 EUR → "19.99", 500 JPY → "500". */
export function minorToMajorString(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  return digits === 0
    ? `${sign}${text}`
    : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A price for people, e.g. "€19.99" or "19,99 €" depending on the locale. */
export function formatMoney(minor: number, currency: string, locale = appLocale): string {
  const digits = currencyDigits(currency);
  // Intl accepts decimal strings, so the exact value is formatted without a float in between.
  const exact = minorToMajorString(minor, currency) as unknown as number;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(exact);
  } catch {
    return `${minorToMajorString(minor, currency)} ${currency}`;
  }
}

/** A ticket price: "Free" for zero, the amount otherwise. */
export function formatPrice(minor: number, currency: string, locale = appLocale): string {
  return minor === 0 ? 'Free' : formatMoney(minor, currency, locale);
}

export type TParsedMoney = { ok: true; minor: number } | { ok: false; message: string };

/**
 * Reads a price typed in major units ("19.99", "19,99", "1,250.00", "1.250,00", "€ 20") into
 * minor units. With both `.` and `,`, the last one is the decimal mark; a mark repeated every
 * three digits groups thousands. More decimals than the currency has is an error, not a
 * rounding, and so is an ambiguous "1,250".
 */
export function parseMoneyToMinor(input: string, currency: string): TParsedMoney {
  const digits = currencyDigits(currency);
  const text = input.replace(/[\s\u00a0\u202f]/g, '').replace(/^[^\d.,-]+|[^\d.,]+$/g, '');
  if (input.trim() === '') return { ok: false, message: 'Enter a price (0 for free tickets).' };
  if (text === '') return { ok: false, message: 'Enter the price as a number.' };
  if (text.startsWith('-')) return { ok: false, message: 'The price cannot be negative.' };
  if (!/^[\d.,]+$/.test(text)) return { ok: false, message: 'Enter the price as a number.' };

  let integer = text;
  let fraction = '';
  const marks = text.replace(/\d/g, '');
  const lastMark = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  if (lastMark >= 0) {
    const after = text.slice(lastMark + 1);
    const isOneKind = new Set(marks).size === 1;
    // "1,250,000" groups thousands; "1,250" could be 1250 or 1.25 typed with a stray digit, so
    // it is refused rather than guessed (unless the currency has no decimals, or three).
    const isGrouping =
      isOneKind && after.length === 3 && (marks.length > 1 || digits === 0 || digits !== 3);
    if (isGrouping && marks.length === 1 && digits !== 0) {
      return {
        ok: false,
        message: `Write the amount without a thousands separator, e.g. ${text.replace(/[.,]/g, '')} or ${text.slice(0, lastMark)}.${after.slice(0, digits)}.`,
      };
    }
    if (!isGrouping) {
      integer = text.slice(0, lastMark);
      fraction = after;
      if (fraction.length > digits) {
        return {
          ok: false,
          message:
            digits === 0
              ? `${currency} has no decimal places.`
              : `Use at most ${digits} decimal ${digits === 1 ? 'place' : 'places'}.`,
        };
      }
    }
  }
  // Whatever separators remain in the whole part must group thousands properly.
  if (/[.,]/.test(integer) && !/^\d{1,3}(?:[.,]\d{3})+$/.test(integer))
    return { ok: false, message: 'Enter the price as a number.' };
  integer = integer.replace(/[.,]/g, '');
  if (!/^\d*$/.test(integer) || !/^\d*$/.test(fraction) || integer + fraction === '')
    return { ok: false, message: 'Enter the price as a number.' };
  const minorText = `${integer}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  if (minorText.length > 12) return { ok: false, message: 'The price is too high.' };
  const minor = Number(minorText || '0');
  if (minor > MAX_PRICE_MINOR) {
    return {
      ok: false,
      message: `The price can be at most ${formatMoney(MAX_PRICE_MINOR, currency, 'en')}.`,
    };
  }
  return { ok: true, minor };
}
