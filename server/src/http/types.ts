import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TActor } from '../modules/auth/actor.js';

/** The Fastify instance every route module registers on: zod-typed requests and replies. */
export type TApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null; resolved once per request by the session hook. */
    actor: TActor;
    /** How the session arrived: a cookie (subject to the CSRF check) or a bearer token. */
    authMethod: 'cookie' | 'bearer' | null;
  }
}
