import { z } from 'zod';

export const ZUser = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), isAdmin: z.boolean() })
  .meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

export const ZUpdateMe = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120),
});
export type TUpdateMe = z.infer<typeof ZUpdateMe>;
