import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { TAuthService } from '../modules/auth/auth.service.js';
import type { TApp } from './types.js';

export const sessionCookie = 'tin_session';
/** Readable by the web app, no secret: "a session cookie was set" (see auth.routes.ts). */
export const signedInHintCookie = 'tin_signed_in';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves the caller once per request from `Authorization: Bearer` or the session cookie.
 * Cookie-authenticated writes must come from our own origin: browsers always send `Origin` on
 * such requests, so a cross-site form or fetch is refused (CSRF), while API clients using the
 * bearer token are unaffected.
 */
export function registerSessionHook(
  app: TApp,
  { auth, publicUrl }: { auth: TAuthService; publicUrl: string },
) {
  const publicOrigin = new URL(publicUrl).origin;
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);

  // A plain callback, like the other hooks every request runs, so that a visitor's request (no
  // token) costs no promise. Fastify answers what it throws as it answers `done(error)`.
  app.addHook('onRequest', (req, _reply, done) => {
    const bearer = bearerToken(req);
    const cookie = req.cookies[sessionCookie];
    const token = bearer ?? cookie;
    if (!token) {
      done();
      return;
    }
    req.authMethod = bearer ? 'bearer' : 'cookie';
    if (
      req.authMethod === 'cookie' &&
      unsafeMethods.has(req.method) &&
      !isSameOrigin(req, publicOrigin)
    ) {
      throw new AppError('csrf_rejected');
    }
    auth.resolveSession(token).then((actor) => {
      req.actor = actor;
      // A bearer token that does not resolve is an error the client should see, not a silent downgrade.
      if (!actor && bearer)
        done(new AppError('unauthenticated', undefined, 'The session is invalid or has expired.'));
      else done();
    }, done);
  });
}

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new AppError('unauthenticated', undefined, 'Use `Authorization: Bearer <token>`.');
  return match[1];
}

function isSameOrigin(req: FastifyRequest, publicOrigin: string): boolean {
  const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
  if (!origin) return false;
  if (origin === publicOrigin) return true;
  // Also accept the host the request was addressed to (e.g. 127.0.0.1 vs localhost, or behind a proxy).
  return origin === `${req.protocol}://${req.host}`;
}

function refererOrigin(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
