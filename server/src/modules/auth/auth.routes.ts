import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZNoContent, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { sessionCookie, signedInHintCookie } from '../../http/session-hook.js';
import { ZCodeRequested, ZCreateSession, ZRequestCode, ZSession } from './auth.schema.js';
import type { TAuthService } from './auth.service.js';

const meta = (req: FastifyRequest) => ({
  ip: req.ip,
  userAgent: req.headers['user-agent'] ?? null,
});

export function registerAuthRoutes(
  app: TApp,
  { auth, secureCookies }: { auth: TAuthService; secureCookies: boolean },
) {
  const tags = ['Auth'];

  app.post(
    '/auth/otp',
    {
      schema: {
        tags,
        summary: 'E-mail a sign-in code',
        body: ZRequestCode,
        response: { 202: ZCodeRequested, ...errorResponses },
      },
    },
    async (req, reply) => {
      await auth.requestCode(req.body.email, meta(req));
      return reply
        .code(202)
        .send({ message: 'If the address can receive mail, a sign-in code is on its way.' });
    },
  );

  app.post(
    '/auth/session',
    {
      schema: {
        tags,
        summary: 'Sign in with the e-mailed code',
        body: ZCreateSession,
        response: { 200: ZSession, ...errorResponses },
      },
    },
    async (req, reply) => {
      const session = await auth.verifyCode(req.body.email, req.body.code, meta(req));
      setSessionCookie(reply, session.token, session.expiresAt, secureCookies);
      return {
        user: session.user,
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.delete(
    '/auth/session',
    { schema: { tags, summary: 'Sign out', response: { 204: ZNoContent, ...errorResponses } } },
    async (req, reply) => {
      await auth.signOut(req.actor);
      reply.clearCookie(sessionCookie, { path: '/' });
      reply.clearCookie(signedInHintCookie, { path: '/' });
      return reply.code(204).send(null);
    },
  );
}

/**
 * The session token (HttpOnly: scripts never see it) and a hint the web app can read, holding
 * no secret: whether to ask `GET /me` at all. Anonymous visitors then load pages without a
 * request that can only answer 401.
 */
function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean) {
  const options = { path: '/', sameSite: 'lax', secure, expires: expiresAt } as const;
  reply.setCookie(sessionCookie, token, { ...options, httpOnly: true });
  reply.setCookie(signedInHintCookie, '1', options);
}
