import type { TOrder, TTicketType } from '../api/ticketing';

/** A ticket type on sale as the API returns it; override what a test cares about. */
export function makeTicketType(overrides: Partial<TTicketType> = {}): TTicketType {
  return {
    id: '5b0c1d8e-1f0a-4c3e-9a51-0a0000000001',
    eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
    name: 'Standard',
    description: '',
    priceCents: 2500,
    currency: 'EUR',
    capacity: 100,
    available: 100,
    held: 0,
    sold: 0,
    maxPerOrder: 10,
    salesStartAt: null,
    salesEndAt: null,
    hidden: false,
    sortOrder: 0,
    isOnSale: true,
    ...overrides,
  };
}

/** A pending order of two Standard tickets. */
export function makeOrder(overrides: Partial<TOrder> = {}): TOrder {
  return {
    id: '9c7e6a52-3d1b-4f6e-8a0c-0b0000000001',
    eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
    status: 'pending',
    items: [
      {
        ticketTypeId: '5b0c1d8e-1f0a-4c3e-9a51-0a0000000001',
        quantity: 2,
        unitPriceCents: 2500,
        name: 'Standard',
      },
    ],
    totalCents: 5000,
    currency: 'EUR',
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    buyerEmail: 'ada@example.com',
    paymentProvider: null,
    paidAt: null,
    createdAt: new Date().toISOString(),
    event: {
      id: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
      title: 'Harbour Lights Jazz Night',
      slug: 'harbour-lights-jazz-night',
      startsAt: '2030-12-05T20:00:00.000Z',
      timezone: 'Europe/Lisbon',
    },
    tickets: [],
    ...overrides,
  };
}
