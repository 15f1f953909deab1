import type { TCreateTicketTypeBody, TTicketType } from '../../api/ticketing';
import { isKnownCurrency, minorToMajorString, parseMoneyToMinor } from '../../lib/money';
import { instantToZonedLocal, zonedLocalToInstant } from '../../lib/zoned-time';

/** The ticket-type editor's fields as the inputs hold them, before they become an API body. */
export type TTicketTypeFormValues = {
  name: string;
  description: string;
  /** In major units as typed, e.g. "19.99". */
  price: string;
  currency: string;
  capacity: string;
  maxPerOrder: string;
  /** Wall-clock times in the event's zone (`YYYY-MM-DDTHH:mm`), '' for no limit. */
  salesStartLocal: string;
  salesEndLocal: string;
  hidden: boolean;
};

/** The API's field paths the editor has an input for; issues on other paths go to the form. */
export const ticketTypeFieldKeys = [
  'name',
  'description',
  'priceCents',
  'currency',
  'capacity',
  'maxPerOrder',
  'salesStartAt',
  'salesEndAt',
  'hidden',
] as const;

export function emptyTicketTypeForm(currency = 'EUR'): TTicketTypeFormValues {
  return {
    name: '',
    description: '',
    price: '',
    currency,
    capacity: '100',
    maxPerOrder: '10',
    salesStartLocal: '',
    salesEndLocal: '',
    hidden: false,
  };
}

/** An existing type in the form: its price in major units, its window in the event's zone. */
export function ticketTypeToForm(type: TTicketType, timeZone: string): TTicketTypeFormValues {
  return {
    name: type.name,
    description: type.description,
    price: minorToMajorString(type.priceCents, type.currency),
    currency: type.currency,
    capacity: String(type.capacity),
    maxPerOrder: String(type.maxPerOrder),
    salesStartLocal: type.salesStartAt ? instantToZonedLocal(type.salesStartAt, timeZone) : '',
    salesEndLocal: type.salesEndAt ? instantToZonedLocal(type.salesEndAt, timeZone) : '',
    hidden: type.hidden,
  };
}

type TBody = Required<Omit<TCreateTicketTypeBody, 'sortOrder'>>;
export type TTicketTypeFormResult =
  { ok: true; body: TBody } | { ok: false; errors: Record<string, string> };

function readWholeNumber(text: string, min: number, max: number): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number.';
  const value = Number(trimmed);
  if (value < min) return `Use at least ${min}.`;
  if (value > max) return `Use at most ${max.toLocaleString('en')}.`;
  return value;
}

function readLocal(local: string, timeZone: string): string | null | { error: string } {
  if (!local) return null;
  try {
    return zonedLocalToInstant(local, timeZone);
  } catch {
    return { error: 'Enter a valid date and time.' };
  }
}

/** Checks the form and builds the API body; times are read in the event's zone. */
export function formToTicketTypeBody(
  values: TTicketTypeFormValues,
  timeZone: string,
): TTicketTypeFormResult {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (!name) errors['name'] = 'Give the ticket type a name.';
  const currency = values.currency.trim().toUpperCase();
  if (!isKnownCurrency(currency))
    errors['currency'] = 'Use a three-letter currency code such as EUR.';
  const price = parseMoneyToMinor(values.price, isKnownCurrency(currency) ? currency : 'EUR');
  if (!price.ok) errors['priceCents'] = price.message;
  const capacity = readWholeNumber(values.capacity, 1, 1_000_000);
  if (typeof capacity === 'string') errors['capacity'] = capacity;
  const maxPerOrder = readWholeNumber(values.maxPerOrder, 1, 100);
  if (typeof maxPerOrder === 'string') errors['maxPerOrder'] = maxPerOrder;
  const start = readLocal(values.salesStartLocal, timeZone);
  const end = readLocal(values.salesEndLocal, timeZone);
  if (start && typeof start === 'object') errors['salesStartAt'] = start.error;
  if (end && typeof end === 'object') errors['salesEndAt'] = end.error;
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) <= Date.parse(start))
    errors['salesEndAt'] = 'The end of sales must be after the start.';

  if (
    Object.keys(errors).length > 0 ||
    !price.ok ||
    typeof capacity !== 'number' ||
    typeof maxPerOrder !== 'number' ||
    (start !== null && typeof start !== 'string') ||
    (end !== null && typeof end !== 'string')
  )
    return { ok: false, errors };
  return {
    ok: true,
    body: {
      name,
      description: values.description.trim(),
      priceCents: price.minor,
      currency,
      capacity,
      maxPerOrder,
      salesStartAt: start,
      salesEndAt: end,
      hidden: values.hidden,
    },
  };
}

/** Only what changed, so an edit touches (and the audit log records) just those fields. */
export function changedFields(before: TBody, after: TBody): Partial<TBody> {
  const changed: Partial<TBody> = {};
  for (const key of Object.keys(after) as (keyof TBody)[]) {
    const a = before[key];
    const b = after[key];
    const isSameInstant =
      typeof a === 'string' &&
      typeof b === 'string' &&
      (key === 'salesStartAt' || key === 'salesEndAt') &&
      Date.parse(a) === Date.parse(b);
    if (a !== b && !isSameInstant) Object.assign(changed, { [key]: b });
  }
  return changed;
}
