import { describe, expect, test } from 'vitest';
import { makeTicketType } from '../../test/ticketing-factories';
import {
  changedFields,
  emptyTicketTypeForm,
  formToTicketTypeBody,
  ticketTypeToForm,
} from './ticket-types-form';

describe('formToTicketTypeBody', () => {
  test('a price in major units becomes exact minor units; times are read in the event zone', () => {
    const result = formToTicketTypeBody(
      {
        ...emptyTicketTypeForm('usd'),
        name: ' Early bird ',
        price: '19.99',
        capacity: '50',
        maxPerOrder: '4',
        salesStartLocal: '2030-06-01T09:00',
        salesEndLocal: '2030-06-15T18:00',
      },
      'America/New_York',
    );
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Early bird',
        description: '',
        priceCents: 1999,
        currency: 'USD',
        capacity: 50,
        maxPerOrder: 4,
        salesStartAt: '2030-06-01T09:00:00-04:00',
        salesEndAt: '2030-06-15T18:00:00-04:00',
        hidden: false,
      },
    });
  });

  test('every problem is reported at once, by API field name', () => {
    const result = formToTicketTypeBody(
      {
        ...emptyTicketTypeForm('EURO'),
        price: '1.9999',
        capacity: '0',
        maxPerOrder: '101',
        salesStartLocal: '2030-06-15T18:00',
        salesEndLocal: '2030-06-01T09:00',
      },
      'Europe/Berlin',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      'capacity',
      'currency',
      'maxPerOrder',
      'name',
      'priceCents',
      'salesEndAt',
    ]);
    const priced = formToTicketTypeBody(
      { ...emptyTicketTypeForm('EUR'), name: 'x', price: '1.999' },
      'UTC',
    );
    expect(priced.ok ? {} : priced.errors).toEqual({
      priceCents: 'Write the amount without a thousands separator, e.g. 1999 or 1.99.',
    });
  });

  test('an existing type round-trips through the form unchanged', () => {
    const type = makeTicketType({
      priceCents: 1005,
      salesStartAt: '2030-03-29T00:30:00.000Z',
      hidden: true,
    });
    const form = ticketTypeToForm(type, 'Europe/Berlin');
    expect(form.price).toBe('10.05');
    expect(form.salesStartLocal).toBe('2030-03-29T01:30');
    const result = formToTicketTypeBody(form, 'Europe/Berlin');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.priceCents).toBe(1005);
    expect(Date.parse(result.body.salesStartAt ?? '')).toBe(Date.parse(type.salesStartAt ?? ''));
    expect(changedFields(result.body, result.body)).toEqual({});
    expect(
      changedFields(result.body, { ...result.body, priceCents: 1100, salesEndAt: null }),
    ).toEqual({ priceCents: 1100 });
  });
});
