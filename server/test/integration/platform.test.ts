import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import { signIn } from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('operations endpoints', () => {
  it('reports liveness and readiness', async () => {
    expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await ctx.app.inject('/readyz')).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', cache: 'ok' },
    });
  });

  it('reports not ready (503) when the database or cache does not answer', async () => {
    const failing = () => Promise.reject(new Error('connection refused'));
    const deps = {
      ...ctx.deps,
      database: { ...ctx.deps.database, ping: failing },
      cache: { ...ctx.deps.cache, ping: failing },
    };
    const { app } = await buildApp(ctx.config, deps, pino({ level: 'silent' }));
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'unavailable', cache: 'unavailable' },
    });
    await app.close();
  });

  it('exposes Prometheus metrics including request counts by route', async () => {
    await ctx.app.inject('/api/v1/events');
    const res = await ctx.app.inject('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="\/api\/v1\/events",status="200"\} \d+/,
    );
  });
});

describe('HTTP platform', () => {
  it('publishes an OpenAPI document that the committed web client was generated from', async () => {
    const res = await ctx.app.inject('/api/openapi.json');
    const doc = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/otp',
        '/api/v1/events',
        '/api/v1/events/{id}/image',
        '/api/v1/organizers/{id}/members/{userId}',
      ]),
    );
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../web/src/api/openapi.json', import.meta.url), 'utf8'),
    );
    // If this fails, run `npm run openapi` and commit the regenerated client types.
    expect(doc).toEqual(committed);
    expect((await ctx.app.inject('/api/docs')).statusCode).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await ctx.app.inject('/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'route_not_found', message: 'No such endpoint.' });
  });

  it('sends the pages their security headers and a strict Content-Security-Policy', async () => {
    // Everything outside the JSON API (the web app, files, this health check) gets the pages' set.
    const res = await ctx.app.inject('/healthz');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // Signed file URLs point at PUBLIC_URL; images from there (and nowhere else) may load.
    expect(csp).toContain(`img-src 'self' data: blob: ${new URL(ctx.config.publicUrl).origin}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends API answers, errors included, the REST set: nothing may load, frame or sniff them', async () => {
    for (const url of ['/api/v1/events', '/api/v1/nope', '/api/v1/me']) {
      const res = await ctx.app.inject(url);
      expect(res.headers, url).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      expect(res.headers['content-type'], url).toContain('application/json');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('echoes a well-formed request id and makes one otherwise', async () => {
    const given = await ctx.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'req-1234567890' },
    });
    expect(given.headers['x-request-id']).toBe('req-1234567890');
    const hostile = await ctx.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': '<script>' },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('limits body size with a JSON 413', async () => {
    const user = await signIn(ctx);
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('reads multipart bodies only on the upload route: a JSON route answers them with a JSON 415', async () => {
    const user = await signIn(ctx);
    const boundary = 'tinboundary';
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...user.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nMallory\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('never answers deep or prototype-polluting JSON with a 500', async () => {
    const user = await signIn(ctx);
    const deep = '{"name":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const polluted =
      '{"name":"x","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}';
    for (const payload of [deep, polluted]) {
      const res = await ctx.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { ...user.headers, 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json<{ error: string }>().error).toBeTypeOf('string');
    }
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.headers });
    expect(me.json()).toMatchObject({ isAdmin: false });
  });

  it('shows the dev mailbox newest first, filtered by recipient', async () => {
    const user = await signIn(ctx);
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { email: user.email },
    });
    const res = await ctx.app.inject(
      `/api/v1/dev/mailbox?to=${encodeURIComponent(user.email.toUpperCase())}`,
    );
    const mail =
      res.json<{ to: string; subject: string; text: string; createdAt: string; id: number }[]>();
    expect(mail).toHaveLength(2);
    expect(
      mail.every((m) => m.to === user.email && m.subject === 'Your TickItNow sign-in code'),
    ).toBe(true);
    expect(mail[0]!.id).toBeGreaterThan(mail[1]!.id);
  });
});
