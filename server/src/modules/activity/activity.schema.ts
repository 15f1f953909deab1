import { z } from 'zod';

/** What browsers may report. Purchases and check-ins are recorded by the server itself. */
export const clientActivityTypes = [
  'page_view',
  'event_view',
  'search',
  'ticket_select',
  'checkout_start',
  'subscribe',
  'calendar_add',
  'share',
] as const;
export const serverActivityTypes = ['order_created', 'ticket_purchase', 'check_in'] as const;
export type TActivityType =
  (typeof clientActivityTypes)[number] | (typeof serverActivityTypes)[number];

const ZMetadata = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, { error: 'keys are short identifiers' }),
    z.union([z.string().max(300), z.number(), z.boolean(), z.null()]),
  )
  .refine((m) => Object.keys(m).length <= 20, { error: 'at most 20 metadata keys' });

export const ZActivityItem = z.strictObject({
  type: z.enum(clientActivityTypes),
  eventId: z.uuid().optional(),
  visitorId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'an opaque id of 8–64 letters, digits, - or _' })
    .optional()
    .describe('Anonymous id the browser keeps, so visitors are counted once.'),
  metadata: ZMetadata.optional(),
});
export type TActivityItem = z.infer<typeof ZActivityItem>;

/** One activity or a batch of up to 50. */
export const ZActivityRequest = z.union([ZActivityItem, z.array(ZActivityItem).min(1).max(50)]);

export const ZActivityAccepted = z.object({ accepted: z.number().int() });
