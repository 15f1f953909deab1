import { z } from 'zod';
import { ZLimit } from '../../http/common.schema.js';

export const ZAuditEntry = z
  .object({
    id: z.number().int(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    actor: z.object({ userId: z.string(), email: z.string() }).nullable(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export const ZAuditQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: ZLimit,
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;
