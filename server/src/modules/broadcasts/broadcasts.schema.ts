import { z } from 'zod';

export const ZAnnouncementRequest = z.strictObject({
  subject: z.string().trim().min(1).max(150),
  body: z.string().trim().min(1).max(10_000).describe('Plain text; blank lines start paragraphs.'),
});
export type TAnnouncementRequest = z.infer<typeof ZAnnouncementRequest>;

export const ZDeliveryCounts = z.object({
  recipients: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  unconfirmed: z
    .number()
    .int()
    .describe('Handed to the mail service by a worker that stopped before recording it.'),
});

export const ZBroadcast = z
  .object({
    id: z.number().int(),
    eventId: z.uuid(),
    kind: z.enum(['announcement', 'reminder', 'event_changed', 'event_cancelled']),
    subject: z.string(),
    body: z.string(),
    createdAt: z.iso.datetime(),
    isFannedOut: z.boolean(),
    deliveries: ZDeliveryCounts,
  })
  .meta({ id: 'Broadcast' });
export type TBroadcast = z.infer<typeof ZBroadcast>;
