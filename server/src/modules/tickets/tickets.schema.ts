import { z } from 'zod';
import { ZLimit, ZUuid } from '../../http/common.schema.js';

export const ZTicket = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    eventId: z.uuid(),
    ticketTypeId: z.uuid(),
    code: z
      .string()
      .describe('The QR payload: a signed token, verifiable offline with the event key.'),
    status: z.enum(['valid', 'void']),
    attendeeName: z.string(),
    attendeeEmail: z.string(),
    checkedInAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Ticket' });
export type TTicket = z.infer<typeof ZTicket>;

export const ZTicketDetail = ZTicket.extend({
  ticketTypeName: z.string(),
  event: z.object({
    id: z.uuid(),
    title: z.string(),
    slug: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timezone: z.string(),
    status: z.enum(['draft', 'published', 'cancelled']),
    place: z.string(),
  }),
}).meta({ id: 'TicketDetail' });
export type TTicketDetail = z.infer<typeof ZTicketDetail>;

export const ZTicketParams = z.strictObject({ id: ZUuid });
export const ZTicketListQuery = z.strictObject({
  cursor: z.string().max(300).optional(),
  limit: ZLimit,
});
export type TTicketListQuery = z.infer<typeof ZTicketListQuery>;

export const ZSignedUrl = z
  .object({ url: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'SignedUrl' });
