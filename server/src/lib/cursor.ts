import type { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Opaque pagination cursors: the sort key of the last item, base64url-encoded JSON.
 * A tampered cursor is a 400, never a 500.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation_failed', { field: 'cursor' }, 'The cursor is not valid.');
  }
}
