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
/**
 * In front of a shared cache, each instance also keeps the sessions it resolved in process for
 * this long; sign-out drops them on every instance at once through the cache's pub/sub, and this
 * bounds how long one could outlive a sign-out whose message was lost.
 */
const NEAR_SESSION_MS = 5_000;
const SESSIONS_REVOKED = 'sessions-revoked';
const sessionCacheKey = (tokenHash: string) => `session:${tokenHash}`;

type TCachedSession = { actor: TSignedInActor; lastSeenAt: number; expiresAt: number };

export function createAuthService(deps: TAuthServiceDeps) {
  const { db, repo, mailer, rateLimiter, cache, clock, random, settings } = deps;

  // The in-process layer, only in front of a shared cache (the memory cache is in process).
  const near =
    cache.kind === 'memory' ? null : new Map<string, TCachedSession & { until: number }>();
  const revocationsSeen = new Map<string, () => void>();
  if (near)
    cache.subscribe(SESSIONS_REVOKED, (tokenHash) => {
      if (tokenHash === null) near.clear();
      else {
        near.delete(tokenHash);
        revocationsSeen.get(tokenHash)?.();
      }
    });
  const keepNear = (tokenHash: string, session: TCachedSession) => {
    if (!near) return;
    if (near.size >= 10_000) near.clear();
    near.set(tokenHash, { ...session, until: clock.now().getTime() + NEAR_SESSION_MS });
  };

  async function readCachedSession(tokenHash: string): Promise<TCachedSession | null> {
    const local = near?.get(tokenHash);
    if (local && local.until > clock.now().getTime()) return local;
    try {
      const raw = await cache.get(sessionCacheKey(tokenHash));
      const shared = raw ? (JSON.parse(raw) as TCachedSession) : null;
      if (shared) keepNear(tokenHash, shared);
      return shared;
    } catch {
      return null;
    }
  }

  /** Drops a revoked session from every instance's caches; waits (briefly) until its own subscription heard it. */
  async function forgetSession(tokenHash: string) {
    await cache.delete(sessionCacheKey(tokenHash));
    if (!near) return;
    near.delete(tokenHash);
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve) => {
      revocationsSeen.set(tokenHash, resolve);
      timer = setTimeout(resolve, 500);
    });
    try {
      await cache.publish(SESSIONS_REVOKED, tokenHash);
      await heard;
    } catch {
      // Redis is down: other instances forget the session within NEAR_SESSION_MS.
    } finally {
      clearTimeout(timer);
      revocationsSeen.delete(tokenHash);
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
     * for SESSION_CACHE_MS, and in process for NEAR_SESSION_MS (sign-out forgets it at once, on
     * every instance); a cache that fails is simply not used.
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
      keepNear(tokenHash, { actor, lastSeenAt, expiresAt });
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
      if (tokenHash) await forgetSession(tokenHash);
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
