import { z } from 'zod';

/** Shapes shared by every module's schema file. */
export const ZUuid = z.uuid({ error: 'must be a UUID' });
export const ZIdParams = z.strictObject({ id: ZUuid });

export const ZErrorResponse = z
  .object({
    error: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

export const ZEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'must be an e-mail address' }))
  .transform((email) => email.toLowerCase());

/** A cursor-paginated list, as SPEC §4 describes: `{ items, nextCursor }`. */
export function ZList<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ZLimit = z.coerce.number().int().min(1).max(100).default(20);

/** The body of a 204 response. */
export const ZNoContent = z.null().describe('No content');

/** Standard error responses, listed on routes for the OpenAPI document. */
export const errorResponses = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
  429: ZErrorResponse,
} as const;
