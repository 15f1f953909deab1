import { z } from 'zod';
import { ZEmail } from '../../http/common.schema.js';
import { ZUser } from '../users/users.schema.js';

export const ZRequestCode = z.strictObject({ email: ZEmail });
export type TRequestCode = z.infer<typeof ZRequestCode>;

export const ZCreateSession = z.strictObject({
  email: ZEmail,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code from the e-mail'),
});
export type TCreateSession = z.infer<typeof ZCreateSession>;

export const ZCodeRequested = z.object({ message: z.string() });

export const ZSession = z.object({
  user: ZUser,
  token: z
    .string()
    .describe('Session token; also set as an httpOnly cookie. Send as `Authorization: Bearer`.'),
  expiresAt: z.iso.datetime(),
});
