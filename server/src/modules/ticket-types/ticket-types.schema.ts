import { z } from 'zod';
import { ZUuid } from '../../http/common.schema.js';

const ZInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone offset' })
  .transform((s) => new Date(s));

const fields = {
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000),
  priceCents: z.number().int('must be whole minor units (cents)').min(0).max(100_000_000),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR'),
  capacity: z.number().int().min(1).max(1_000_000),
  salesStartAt: ZInstant.nullable(),
  salesEndAt: ZInstant.nullable(),
  maxPerOrder: z.number().int().min(1).max(100),
  hidden: z.boolean(),
  sortOrder: z.number().int().min(0).max(10_000),
};

/** zod runs object refinements even when a field failed, so compare only real Dates. */
const windowIsOrdered = (t: { salesStartAt?: unknown; salesEndAt?: unknown }) =>
  !(t.salesStartAt instanceof Date) ||
  !(t.salesEndAt instanceof Date) ||
  t.salesEndAt > t.salesStartAt;

export const ZCreateTicketType = z
  .strictObject({
    ...fields,
    description: fields.description.default(''),
    salesStartAt: fields.salesStartAt.default(null),
    salesEndAt: fields.salesEndAt.default(null),
    maxPerOrder: fields.maxPerOrder.default(10),
    hidden: fields.hidden.default(false),
    sortOrder: fields.sortOrder.default(0),
  })
  .refine(windowIsOrdered, {
    error: 'salesEndAt must be after salesStartAt',
    path: ['salesEndAt'],
  });
export type TCreateTicketType = z.infer<typeof ZCreateTicketType>;

export const ZUpdateTicketType = z
  .strictObject(fields)
  .partial()
  .refine(windowIsOrdered, {
    error: 'salesEndAt must be after salesStartAt',
    path: ['salesEndAt'],
  });
export type TUpdateTicketType = z.infer<typeof ZUpdateTicketType>;

export const ZTicketType = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    name: z.string(),
    description: z.string(),
    priceCents: z.number().int(),
    currency: z.string(),
    capacity: z.number().int(),
    available: z.number().int(),
    held: z.number().int(),
    sold: z.number().int(),
    maxPerOrder: z.number().int(),
    salesStartAt: z.iso.datetime().nullable(),
    salesEndAt: z.iso.datetime().nullable(),
    hidden: z.boolean(),
    sortOrder: z.number().int(),
    isOnSale: z.boolean().describe('Within its sales window and the event is published.'),
  })
  .meta({ id: 'TicketType' });
export type TTicketType = z.infer<typeof ZTicketType>;

export const ZTicketTypeParams = z.strictObject({ id: ZUuid });
