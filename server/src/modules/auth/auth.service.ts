import type { TCache } from '../../adapters/cache/cache.js';
import type { TRateLimiter } from '../../adapters/cache/rate-limiter.js';
import type { TDb } from '../../adapters/database/database.js';
import type { TMailer } from '../../adapters/mail/mailer.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { hmacBase64Url, safeEqual, sha256Hex } from '../../lib/hashing.js';
import { createToken, type TRandom } from '../../lib/random.js';
import { presentUser } from '../users/users.service.js';
import type { TActor, TSignedInActor } from './actor.js';
import type { TAuthRepository } from './auth.repository.js';
import { renderSignInCodeMail } from './auth.mail.js';

/** After this many tries (right or wrong) a code is dead, even if the next guess would be right. */
export const MAX_CODE_ATTEMPTS = 5;
/** A session's expiry slides forward at most this often, so reads do not write on every request. */
const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export type TAuthServiceDeps = {
  db: TDb;
  repo: TAuthRepository;
  mailer: TMailer;
  rateLimiter: TRateLimiter;
  /** Remembers live sessions briefly (shared across instances with Redis). */
  cache: TCache;
  clock: TClock;
  random: TRandom;
  settings: {
    appSecret: string;
    publicUrl: string;
    sessionTtlMs: number;
    otp: { ttlMs: number; perEmail: number; perIp: number; windowMs: number };
  };
};

export type TRequestMeta = { ip: string; userAgent: string | null };

/** How long a resolved session is remembered in the cache. */
const SESSION_CACHE_MS = 30_000;
const sessionCacheKey = (tokenHash: string) => `session:${tokenHash}`;

export function createAuthService(deps: TAuthServiceDeps) {
  const { db, repo, mailer, rateLimiter, cache, clock, random, settings } = deps;

  async function readCachedSession(
    tokenHash: string,
  ): Promise<{ actor: TSignedInActor; lastSeenAt: number; expiresAt: number } | null> {
    try {
      const raw = await cache.get(sessionCacheKey(tokenHash));
      return raw
        ? (JSON.parse(raw) as { actor: TSignedInActor; lastSeenAt: number; expiresAt: number })
        : null;
    } catch {
      return null;
    }
  }
  const hashCode = (email: string, code: string) =>
    hmacBase64Url(settings.appSecret, `otp:${email}:${code}`);

  return {
    /**
     * Sends a 6-digit sign-in code. The answer is the same whether or not an account exists:
     * no user is looked up here; the account is created when a code is verified.
     */
    async requestCode(email: string, meta: TRequestMeta): Promise<void> {
      await rateLimiter.consume(`otp-ip:${meta.ip}`, settings.otp.perIp, settings.otp.windowMs);
      await rateLimiter.consume(`otp-email:${email}`, settings.otp.perEmail, settings.otp.windowMs);
      const code = String(random.int(1_000_000)).padStart(6, '0');
      const expiresAt = new Date(clock.now().getTime() + settings.otp.ttlMs);
      await repo.saveCode(db, email, hashCode(email, code), expiresAt);
      await mailer.send({
        to: email,
        ...renderSignInCodeMail({
          code,
          minutes: Math.round(settings.otp.ttlMs / 60_000),
          publicUrl: settings.publicUrl,
        }),
      });
    },

    /** Exchanges a correct, fresh, unused code for a session. */
    async verifyCode(email: string, code: string, meta: TRequestMeta) {
      await rateLimiter.consume(
        `otp-verify-ip:${meta.ip}`,
        settings.otp.perIp,
        settings.otp.windowMs,
      );
      const now = clock.now();
      // The try is spent (and committed) before comparing, so a wrong guess always counts.
      const attempt = await repo.takeAttempt(db, email, now, MAX_CODE_ATTEMPTS);
      if (!attempt) throw await explainUnusableCode(email, now);
      if (!safeEqual(attempt.code_hash, hashCode(email, code))) {
        const attemptsLeft = MAX_CODE_ATTEMPTS - attempt.attempts;
        if (attemptsLeft <= 0) throw new AppError('code_locked');
        throw new AppError('code_invalid', { attemptsLeft });
      }
      const token = createToken(random);
      return db.transaction().execute(async (trx) => {
        if (!(await repo.consumeCode(trx, email, attempt.code_hash, now)))
          throw new AppError('code_used');
        const user = await repo.upsertUser(trx, email);
        const session = await repo.createSession(trx, {
          userId: user.id,
          tokenHash: sha256Hex(token),
          expiresAt: new Date(now.getTime() + settings.sessionTtlMs),
          userAgent: meta.userAgent?.slice(0, 300) ?? null,
          ip: meta.ip,
        });
        return { user: presentUser(user), token, expiresAt: session.expires_at };
      });
    },

    /**
     * The actor behind a session token, or null when the token is unknown, revoked or expired.
     * Every authenticated request asks this, so a live session is remembered in the shared cache
     * for SESSION_CACHE_MS (sign-out forgets it at once, on every instance); a cache that fails
     * is simply not used.
     */
    async resolveSession(token: string): Promise<TActor> {
      if (!tokenPattern.test(token)) return null;
      const now = clock.now();
      const tokenHash = sha256Hex(token);
      const cached = await readCachedSession(tokenHash);
      if (cached && cached.expiresAt > now.getTime()) {
        if (now.getTime() - cached.lastSeenAt <= SESSION_TOUCH_INTERVAL_MS) return cached.actor;
      }
      const session = await repo.findLiveSession(db, tokenHash, now);
      if (!session) return null;
      let lastSeenAt = session.last_seen_at.getTime();
      let expiresAt = session.expires_at.getTime();
      if (now.getTime() - lastSeenAt > SESSION_TOUCH_INTERVAL_MS) {
        expiresAt = now.getTime() + settings.sessionTtlMs;
        lastSeenAt = now.getTime();
        await repo.touchSession(db, session.session_id, now, new Date(expiresAt));
      }
      const actor = {
        userId: session.user_id,
        email: session.email,
        isAdmin: session.is_admin,
        sessionId: session.session_id,
      };
      await cache
        .set(
          sessionCacheKey(tokenHash),
          JSON.stringify({ actor, lastSeenAt, expiresAt }),
          Math.min(SESSION_CACHE_MS, expiresAt - now.getTime()),
        )
        .catch(() => undefined);
      return actor;
    },

    async signOut(actor: TActor): Promise<void> {
      const user = requireUser(actor);
      const tokenHash = await repo.revokeSession(db, user.sessionId, clock.now());
      if (tokenHash) await cache.delete(sessionCacheKey(tokenHash));
    },
  };

  async function explainUnusableCode(email: string, now: Date): Promise<AppError> {
    const row = await repo.findCode(db, email);
    if (!row) return new AppError('code_invalid');
    if (row.consumed_at) return new AppError('code_used');
    if (row.expires_at <= now) return new AppError('code_expired');
    return new AppError('code_locked');
  }
}

export type TAuthService = ReturnType<typeof createAuthService>;

/** The signed-in actor, or a 401. */
export function requireUser(actor: TActor): TSignedInActor {
  if (!actor) throw new AppError('unauthenticated');
  return actor;
}
