import { z } from 'zod';
import { ZEmail, ZUuid } from '../../http/common.schema.js';

export const ZRole = z.enum(['owner', 'manager', 'staff']);

export const ZOrganizer = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    role: ZRole.or(z.literal('admin'))
      .nullable()
      .describe("The caller's role, or null for visitors."),
  })
  .meta({ id: 'Organizer' });
export type TOrganizer = z.infer<typeof ZOrganizer>;

export const ZCreateOrganizer = z.strictObject({ name: z.string().trim().min(1).max(120) });
export type TCreateOrganizer = z.infer<typeof ZCreateOrganizer>;

export const ZMember = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: ZRole,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });
export type TMember = z.infer<typeof ZMember>;

export const ZAddMember = z.strictObject({ email: ZEmail, role: ZRole });
export type TAddMember = z.infer<typeof ZAddMember>;

export const ZUpdateMember = z.strictObject({ role: ZRole });
export type TUpdateMember = z.infer<typeof ZUpdateMember>;

export const ZMemberParams = z.strictObject({ id: ZUuid, userId: ZUuid });
