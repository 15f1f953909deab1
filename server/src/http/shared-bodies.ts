import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

type TSerialized = { body: Buffer; etag: string };

/**
 * Sends read results as JSON, serializing each result object once. The services memoize public
 * reads (adapters/cache/memo.ts) and hand every caller the same object until it expires or an
 * edit clears the memo, so a hot event page is serialized (zod pass + JSON) once per memo
 * period instead of once per request. Keyed by the object itself in a WeakMap: a body lives
 * exactly as long as its result, needs no expiry or invalidation of its own, and a result built
 * for one caller (a draft for its team) is a fresh object that no other request can meet.
 *
 * Each body carries a strong ETag; a request whose If-None-Match names it gets a bodiless 304.
 * Use one instance per route: the body is what that route's response schema makes of the result.
 */
export function createSharedBodies<TResult extends object>(
  toPayload: (result: TResult) => unknown = (result) => result,
) {
  const serialized = new WeakMap<TResult, TSerialized>();
  return {
    send(req: FastifyRequest, reply: FastifyReply, result: TResult): FastifyReply {
      let entry = serialized.get(result);
      if (!entry) {
        // The route's own serializer for its 200 schema, so the bytes are exactly what
        // `return result` would have sent; kept as bytes, so no answer encodes the text again.
        const raw = reply.serialize(toPayload(result));
        const body = Buffer.from(typeof raw === 'string' ? raw : new Uint8Array(raw));
        entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        serialized.set(result, entry);
      }
      void reply.header('etag', entry.etag);
      if (isFresh(req.headers['if-none-match'], entry.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(entry.body);
    },
  };
}

/** RFC 9110 §13.1.2: `*` or a list of entity tags, compared weakly. */
function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
