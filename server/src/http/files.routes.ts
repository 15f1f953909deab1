import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { localFilesPrefix, type TLocalStorage } from '../adapters/storage/local-storage.js';
import { storageKeyPattern } from '../adapters/storage/storage.js';
import type { TClock } from '../lib/clock.js';

const ZSignedQuery = z.object({ expires: z.coerce.number().int(), sig: z.string().max(100) });

/** Serves local-storage files to holders of a valid, unexpired signed URL (the S3 presigned-URL twin). */
export function registerFilesRoutes(
  app: FastifyInstance,
  { storage, clock }: { storage: TLocalStorage; clock: TClock },
) {
  app.get(`${localFilesPrefix}*`, { schema: { hide: true } }, async (req, reply) => {
    const key = (req.params as { '*': string })['*'];
    const query = ZSignedQuery.safeParse(req.query);
    if (!storageKeyPattern.test(key) || key.includes('..') || !query.success) {
      throw new AppError('forbidden', undefined, 'The link is not valid.');
    }
    if (!storage.verifySignature(key, query.data.expires, query.data.sig)) {
      throw new AppError('forbidden', undefined, 'The link is not valid or has expired.');
    }
    const file = await storage.get(key);
    if (!file) throw new AppError('not_found', { resource: 'file' });
    const maxAge = Math.max(
      0,
      Math.min(86_400, query.data.expires - Math.floor(clock.now().getTime() / 1000)),
    );
    return reply
      .type(file.contentType)
      .header('cache-control', `private, max-age=${maxAge}`)
      .header('x-content-type-options', 'nosniff')
      .send(file.body);
  });
}
