import { z } from 'zod';
import { ZEmail, ZLimit, ZUuid } from '../../http/common.schema.js';
import { paymentProviderNames } from '../../adapters/payments/payment-provider.js';
import { ZTicket } from '../tickets/tickets.schema.js';

export const ZOrderStatus = z.enum(['pending', 'paid', 'expired', 'cancelled', 'refunded']);

export const ZAttendee = z.strictObject({ name: z.string().trim().min(1).max(120), email: ZEmail });

export const ZCreateOrder = z
  .strictObject({
    eventId: ZUuid,
    items: z
      .array(
        z.strictObject({
          ticketTypeId: ZUuid,
          quantity: z.number().int().min(1, 'must be at least 1').max(100),
        }),
      )
      .min(1)
      .max(20),
    attendees: z
      .array(ZAttendee)
      .max(200)
      .optional()
      .describe('One per seat, in item order; seats without one carry the buyer.'),
  })
  .refine((o) => new Set(o.items.map((i) => i.ticketTypeId)).size === o.items.length, {
    error: 'list each ticket type once',
    path: ['items'],
  })
  .refine(
    (o) =>
      !o.attendees ||
      o.attendees.length <=
        o.items.reduce((n, i) => n + (typeof i.quantity === 'number' ? i.quantity : 0), 0),
    {
      error: 'more attendees than seats',
      path: ['attendees'],
    },
  );
export type TCreateOrder = z.infer<typeof ZCreateOrder>;

export const ZPayOrder = z.strictObject({
  provider: z.enum(paymentProviderNames),
  paymentToken: z
    .string()
    .max(200)
    .optional()
    .describe('For `test`: test_ok, test_declined, test_slow, test_timeout.'),
});
export type TPayOrder = z.infer<typeof ZPayOrder>;

export const ZOrder = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    status: ZOrderStatus,
    items: z.array(
      z.object({
        ticketTypeId: z.uuid(),
        quantity: z.number().int(),
        unitPriceCents: z.number().int(),
        name: z.string(),
      }),
    ),
    totalCents: z.number().int(),
    currency: z.string(),
    expiresAt: z.iso.datetime().describe('When the hold lapses while pending.'),
    buyerEmail: z.string(),
    paymentProvider: z.string().nullable(),
    paidAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    event: z.object({
      id: z.uuid(),
      title: z.string(),
      slug: z.string(),
      startsAt: z.iso.datetime(),
      timezone: z.string(),
    }),
    tickets: z.array(ZTicket),
  })
  .meta({ id: 'Order' });
export type TOrder = z.infer<typeof ZOrder>;

export const ZOrderParams = z.strictObject({ id: ZUuid });

export const ZOrderListQuery = z.strictObject({
  status: ZOrderStatus.optional(),
  cursor: z.string().max(300).optional(),
  limit: ZLimit,
});
export type TOrderListQuery = z.infer<typeof ZOrderListQuery>;

export const ZClaimOffer = z.strictObject({ token: z.string().min(20).max(100) });
