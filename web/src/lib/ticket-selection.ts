/**
 * The rules of picking tickets on the event page: what can be bought, how many, and for how
 * much. The server decides in the end (and refuses with `sold_out`, `sales_closed`, …); these
 * keep the page from offering what it would refuse.
 */
import type { TCreateOrderBody, TTicketType } from '../api/ticketing';

export type TSaleState = 'on_sale' | 'sold_out' | 'not_started' | 'ended' | 'unavailable';

/** Why a ticket type can or cannot be bought right now. */
export function saleState(type: TTicketType, now: number): TSaleState {
  if (type.isOnSale) return type.available > 0 ? 'on_sale' : 'sold_out';
  if (type.salesStartAt && now < Date.parse(type.salesStartAt)) return 'not_started';
  if (type.salesEndAt && now >= Date.parse(type.salesEndAt)) return 'ended';
  return 'unavailable';
}

/** The most of `type` one order may hold now: its per-order limit or what is left. */
export function maxSelectable(type: TTicketType, now: number): number {
  return saleState(type, now) === 'on_sale'
    ? Math.max(0, Math.min(type.maxPerOrder, type.available))
    : 0;
}

/** A quantity kept within 0…max, as a whole number. */
export function clampQuantity(quantity: number, max: number): number {
  if (!Number.isFinite(quantity)) return 0;
  return Math.max(0, Math.min(Math.max(0, max), Math.floor(quantity)));
}

export type TQuantities = Record<string, number>;

/** The order's items: each chosen type once, with a positive quantity, in the page's order. */
export function selectedItems(
  quantities: TQuantities,
  types: readonly TTicketType[],
): TCreateOrderBody['items'] {
  return types
    .map((t) => ({ ticketTypeId: t.id, quantity: quantities[t.id] ?? 0 }))
    .filter((item) => item.quantity > 0);
}

/** The total of the chosen tickets in minor units, and how many tickets that is. */
export function selectionTotal(
  quantities: TQuantities,
  types: readonly TTicketType[],
): { totalMinor: number; count: number } {
  let totalMinor = 0;
  let count = 0;
  for (const type of types) {
    const quantity = quantities[type.id] ?? 0;
    totalMinor += type.priceCents * quantity;
    count += quantity;
  }
  return { totalMinor, count };
}

/**
 * Fits a selection to fresh availability. Returns the new quantities and the names of the types
 * whose quantity had to come down, so the page can say so.
 */
export function fitSelection(
  quantities: TQuantities,
  types: readonly TTicketType[],
  now: number,
): { quantities: TQuantities; reduced: TTicketType[] } {
  const next: TQuantities = {};
  const reduced: TTicketType[] = [];
  for (const type of types) {
    const wanted = quantities[type.id] ?? 0;
    if (wanted === 0) continue;
    const fitted = clampQuantity(wanted, maxSelectable(type, now));
    if (fitted < wanted) reduced.push(type);
    if (fitted > 0) next[type.id] = fitted;
  }
  return { quantities: next, reduced };
}

/** A selection as a URL value (`id.2~id.1`), so it survives the trip through sign-in. */
export function encodeSelection(quantities: TQuantities): string {
  return Object.entries(quantities)
    .filter(([, q]) => q > 0)
    .map(([id, q]) => `${id}.${q}`)
    .join('~');
}

/** Reads `encodeSelection`'s format; anything malformed is ignored. */
export function decodeSelection(value: string | null): TQuantities {
  const quantities: TQuantities = {};
  for (const part of (value ?? '').split('~')) {
    const match = /^([0-9a-f-]{36})\.(\d{1,3})$/i.exec(part);
    if (match?.[1] && match[2]) quantities[match[1]] = Number(match[2]);
  }
  return quantities;
}

/** A fresh Idempotency-Key for one checkout attempt. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
