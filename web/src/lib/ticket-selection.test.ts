import { describe, expect, test } from 'vitest';
import { makeTicketType } from '../test/ticketing-factories';
import {
  clampQuantity,
  decodeSelection,
  encodeSelection,
  fitSelection,
  maxSelectable,
  saleState,
  selectedItems,
  selectionTotal,
} from './ticket-selection';

const now = Date.parse('2030-06-01T12:00:00Z');
const standard = makeTicketType();
const vip = makeTicketType({
  id: '5b0c1d8e-1f0a-4c3e-9a51-0a0000000002',
  name: 'VIP',
  priceCents: 9950,
  available: 3,
  maxPerOrder: 4,
});

describe('saleState', () => {
  test('on sale, sold out, not yet, ended, otherwise unavailable', () => {
    expect(saleState(standard, now)).toBe('on_sale');
    expect(saleState(makeTicketType({ available: 0, held: 2 }), now)).toBe('sold_out');
    expect(
      saleState(makeTicketType({ isOnSale: false, salesStartAt: '2030-06-02T00:00:00Z' }), now),
    ).toBe('not_started');
    expect(
      saleState(makeTicketType({ isOnSale: false, salesEndAt: '2030-06-01T11:00:00Z' }), now),
    ).toBe('ended');
    expect(saleState(makeTicketType({ isOnSale: false }), now)).toBe('unavailable');
  });
});

describe('quantity bounds', () => {
  test('the most per order is the limit or what is left, whichever is lower', () => {
    expect(maxSelectable(standard, now)).toBe(10);
    expect(maxSelectable(vip, now)).toBe(3);
    expect(maxSelectable(makeTicketType({ available: 0 }), now)).toBe(0);
    expect(maxSelectable(makeTicketType({ isOnSale: false }), now)).toBe(0);
  });

  test.each([
    [3, 5, 3],
    [7, 5, 5],
    [-1, 5, 0],
    [2.7, 5, 2],
    [Number.NaN, 5, 0],
    [4, -2, 0],
  ])('clamp(%d, max %d) = %d', (quantity, max, expected) => {
    expect(clampQuantity(quantity, max)).toBe(expected);
  });

  test('fresh availability trims the selection and says which types', () => {
    const fewer = { ...vip, available: 1 };
    const result = fitSelection({ [standard.id]: 2, [vip.id]: 3 }, [standard, fewer], now);
    expect(result.quantities).toEqual({ [standard.id]: 2, [vip.id]: 1 });
    expect(result.reduced.map((t) => t.name)).toEqual(['VIP']);
    const gone = fitSelection({ [vip.id]: 2 }, [{ ...vip, available: 0 }], now);
    expect(gone.quantities).toEqual({});
  });
});

describe('the order body and total', () => {
  test('items list chosen types once, in page order; the total is exact', () => {
    const quantities = { [vip.id]: 2, [standard.id]: 1, unknown: 4 };
    expect(selectedItems(quantities, [standard, vip])).toEqual([
      { ticketTypeId: standard.id, quantity: 1 },
      { ticketTypeId: vip.id, quantity: 2 },
    ]);
    expect(selectionTotal(quantities, [standard, vip])).toEqual({ totalMinor: 22400, count: 3 });
  });

  test('a selection survives the URL round trip; junk is dropped', () => {
    const encoded = encodeSelection({ [standard.id]: 2, [vip.id]: 0 });
    expect(encoded).toBe(`${standard.id}.2`);
    expect(decodeSelection(`${encoded}~nonsense~${vip.id}.1`)).toEqual({
      [standard.id]: 2,
      [vip.id]: 1,
    });
    expect(decodeSelection(null)).toEqual({});
  });
});
