import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import { latestCode, signIn, uniqueEmail } from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { OTP_RATE_PER_EMAIL: '3', OTP_RATE_PER_IP: '40' } });
});
afterAll(() => ctx.close());

const requestCode = (email: unknown, ip = '10.0.0.1') =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { email },
    remoteAddress: ip,
  });
const verify = (email: string, code: string, ip = '10.0.0.1') =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/session',
    payload: { email, code },
    remoteAddress: ip,
  });
let ipCounter = 0;
/** A fresh client address per test so per-IP limits only bite where a test means them to. */
const freshIp = () => `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describe('sign-in by e-mail code', () => {
  it('e-mails a 6-digit code, stores only its hash, and signs in with it', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    expect((await requestCode(email.toUpperCase(), ip)).statusCode).toBe(202);
    const code = await latestCode(ctx, email);
    const row = await ctx.db
      .selectFrom('otp_codes')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);

    const res = await verify(email, code, ip);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ user: { email: string; id: string }; token: string }>();
    expect(body.user.email).toBe(email);
    const cookie = res.cookies.find((c) => c.name === 'tin_session');
    expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    // The web app's hint: readable by scripts, so it carries nothing but "signed in".
    const hint = res.cookies.find((c) => c.name === 'tin_signed_in');
    expect(hint).toMatchObject({ value: '1', sameSite: 'Lax', path: '/' });
    expect(hint?.httpOnly).toBeFalsy();
    expect(hint?.expires).toEqual(cookie?.expires);

    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.json()).toMatchObject({ email, id: body.user.id });
    const viaCookie = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      cookies: { tin_session: body.token },
    });
    expect(viaCookie.json()).toMatchObject({ email });
  });

  it('answers the same for known and unknown addresses (no account enumeration)', async () => {
    const known = await signIn(ctx);
    const a = await requestCode(known.email, freshIp());
    const b = await requestCode(uniqueEmail('nobody'), freshIp());
    expect(a.statusCode).toBe(b.statusCode);
    expect(a.body).toBe(b.body);
  });

  it('refuses a code once used', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const code = await latestCode(ctx, email);
    expect((await verify(email, code, ip)).statusCode).toBe(200);
    const again = await verify(email, code, ip);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ error: 'code_used' });
  });

  it('refuses an expired code', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const code = await latestCode(ctx, email);
    ctx.clock.advance(10 * 60_000 + 1);
    const res = await verify(email, code, ip);
    expect(res.json()).toMatchObject({ error: 'code_expired' });
  });

  it('kills the code after 5 tries: the 6th fails even with the right code', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const code = await latestCode(ctx, email);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        (await verify(email, wrong, ip)).json<{
          error: string;
          details?: { attemptsLeft?: number };
        }>(),
      );
    expect(answers.slice(0, 4).map((a) => a.details?.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(answers[4]?.error).toBe('code_locked');
    const right = await verify(email, code, ip);
    expect(right.statusCode).toBe(400);
    expect(right.json()).toMatchObject({ error: 'code_locked' });
  });

  it('counts parallel wrong guesses exactly: 20 at once spend 5 tries, no more', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const code = await latestCode(ctx, email);
    const wrong = code === '999999' ? '888888' : '999999';
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(email, wrong, ip)));
    const errors = results.map((r) => r.json<{ error: string }>().error);
    expect(errors.filter((e) => e === 'code_invalid').length).toBe(4);
    expect(errors.filter((e) => e === 'code_locked').length).toBe(16);
    const row = await ctx.db
      .selectFrom('otp_codes')
      .select('attempts')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(5);
  });

  it('gives one session when the same code is submitted twice at once', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const code = await latestCode(ctx, email);
    const results = await Promise.all([verify(email, code, ip), verify(email, code, ip)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('a new code replaces the old one', async () => {
    const email = uniqueEmail();
    const ip = freshIp();
    await requestCode(email, ip);
    const first = await latestCode(ctx, email);
    await requestCode(email, ip);
    const second = await latestCode(ctx, email);
    if (first !== second)
      expect((await verify(email, first, ip)).json()).toMatchObject({ error: 'code_invalid' });
    expect((await verify(email, second, ip)).statusCode).toBe(200);
  });

  it('rate-limits code requests per e-mail address with 429 and Retry-After', async () => {
    const email = uniqueEmail();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestCode(email, freshIp())).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await requestCode(email, freshIp());
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    ctx.clock.advance(15 * 60_000 + 1_000);
    // Only the in-process counter follows the manual clock; Redis keeps real time, so there we
    // check the window by its reported length instead.
    if (ctx.deps.cache.kind === 'memory')
      expect((await requestCode(email, freshIp())).statusCode).toBe(202);
    else expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  });

  it('rate-limits code requests per client IP', async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 41; i++)
      statuses.push((await requestCode(uniqueEmail('ip'), ip)).statusCode);
    expect(statuses.filter((s) => s === 202).length).toBe(40);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers malformed sign-in input with a specific 400', async () => {
    const badEmail = await requestCode('not-an-email', freshIp());
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json()).toMatchObject({
      error: 'validation_failed',
      details: { issues: [{ path: ['email'] }] },
    });
    const badCode = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/session',
      payload: { email: uniqueEmail(), code: '12ab' },
    });
    expect(badCode.json()).toMatchObject({
      error: 'validation_failed',
      details: { issues: [{ path: ['code'] }] },
    });
    const noCode = await verify(uniqueEmail(), '123456', freshIp());
    expect(noCode.json()).toMatchObject({ error: 'code_invalid' });
    const extra = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { email: uniqueEmail(), admin: true },
    });
    expect(extra.statusCode).toBe(400);
  });
});

describe('sessions', () => {
  it('signs out: the token stops working', async () => {
    const user = await signIn(ctx);
    const out = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/auth/session',
      headers: user.headers,
    });
    expect(out.statusCode).toBe(204);
    // Both cookies are cleared (expired), the hint with the session.
    const cleared = out.cookies.filter((c) => c.value === '').map((c) => c.name);
    expect(cleared.sort()).toEqual(['tin_session', 'tin_signed_in']);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('signs out everywhere at once, though sessions are cached on every instance', async () => {
    const user = await signIn(ctx);
    const second = await ctx.startSecondInstance();
    // Both instances have now resolved (and cached) the session.
    expect((await second.inject({ url: '/api/v1/me', headers: user.headers })).statusCode).toBe(
      200,
    );
    expect((await ctx.app.inject({ url: '/api/v1/me', headers: user.headers })).statusCode).toBe(
      200,
    );
    const out = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/auth/session',
      headers: user.headers,
    });
    expect(out.statusCode).toBe(204);
    expect((await second.inject({ url: '/api/v1/me', headers: user.headers })).statusCode).toBe(
      401,
    );
  });

  it('expires sessions after SESSION_TTL', async () => {
    const user = await signIn(ctx);
    ctx.clock.advance(31 * 24 * 3_600_000);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers }))
        .statusCode,
    ).toBe(401);
  });

  it('rejects missing, malformed and forged tokens', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const forged = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${'A'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);
    const malformed = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('refuses cookie-authenticated writes from another origin (CSRF), allows same origin and bearer', async () => {
    const user = await signIn(ctx);
    const patch = (headers: Record<string, string>, cookies?: Record<string, string>) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        payload: { name: 'Ada' },
        headers,
        ...(cookies ? { cookies } : {}),
      });
    const cookie = { tin_session: user.token };
    const crossSite = await patch({ origin: 'https://evil.example' }, cookie);
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json()).toMatchObject({ error: 'csrf_rejected' });
    expect((await patch({}, cookie)).statusCode).toBe(403);
    expect((await patch({ origin: 'http://localhost:3000' }, cookie)).statusCode).toBe(200);
    expect((await patch(user.headers)).statusCode).toBe(200);
  });

  it('updates the display name and validates it', async () => {
    const user = await signIn(ctx);
    const ok = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: user.headers,
      payload: { name: '  Grace Hopper ' },
    });
    expect(ok.json()).toMatchObject({ name: 'Grace Hopper' });
    const long = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: user.headers,
      payload: { name: 'x'.repeat(121) },
    });
    expect(long.statusCode).toBe(400);
    const wrongType = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: user.headers,
      payload: { name: 42 },
    });
    expect(wrongType.json()).toMatchObject({ error: 'validation_failed' });
  });
});
