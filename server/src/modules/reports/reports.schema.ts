import { z } from 'zod';

const ZDay = z.object({
  date: z.string().describe('YYYY-MM-DD in the event’s time zone'),
  views: z.number().int(),
  uniqueVisitors: z.number().int(),
  orders: z.number().int(),
  ticketsSold: z.number().int(),
  revenueCents: z.number().int(),
  checkIns: z.number().int(),
});

export const ZAnalytics = z
  .object({
    eventId: z.uuid(),
    timezone: z.string(),
    currency: z.string().nullable(),
    views: z.number().int(),
    uniqueVisitors: z.number().int(),
    orders: z.number().int().describe('Paid orders'),
    conversionRate: z
      .number()
      .nullable()
      .describe('Paid orders per unique visitor; null before the first visit.'),
    ticketsSold: z.number().int().describe('Valid tickets'),
    revenueCents: z.number().int().describe('Total of paid orders'),
    checkIns: z.object({ admitted: z.number().int(), total: z.number().int() }),
    byTicketType: z.array(
      z.object({
        ticketTypeId: z.uuid(),
        name: z.string(),
        capacity: z.number().int(),
        ticketsSold: z.number().int(),
        revenueCents: z.number().int(),
        checkedIn: z.number().int(),
      }),
    ),
    daily: z.array(ZDay),
  })
  .meta({ id: 'EventAnalytics' });
export type TAnalytics = z.infer<typeof ZAnalytics>;

export const ZAttendee = z
  .object({
    ticketId: z.uuid(),
    orderId: z.uuid(),
    ticketTypeId: z.uuid(),
    ticketTypeName: z.string(),
    attendeeName: z.string(),
    attendeeEmail: z.string(),
    buyerEmail: z.string(),
    status: z.enum(['valid', 'void']),
    checkedInAt: z.iso.datetime().nullable(),
    issuedAt: z.iso.datetime(),
  })
  .meta({ id: 'Attendee' });
export type TAttendee = z.infer<typeof ZAttendee>;

export const ZExportQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
});
