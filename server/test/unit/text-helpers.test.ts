import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, toHttpError } from '../../src/errors.js';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';
import { formatEventTime } from '../../src/lib/event-time.js';
import { findUnsafeText } from '../../src/lib/unsafe-text.js';
import { renderMarkdown } from '../../src/lib/markdown.js';
import { rememberRecent } from '../../src/lib/remember-recent.js';
import { insertWithUniqueSlug, slugify } from '../../src/lib/slug.js';
import { toPrefixTsQuery } from '../../src/modules/events/events.service.js';

describe('slugify', () => {
  it('makes URL-safe ASCII slugs', () => {
    expect(slugify('  Café Örebro — Live! ')).toBe('cafe-orebro-live');
    expect(slugify('!!!')).toBe('item');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(60);
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
  });

  it('picks the first free slug and retries when a concurrent insert wins', async () => {
    const attempts: string[] = [];
    const row = await insertWithUniqueSlug(
      'jazz',
      () => Promise.resolve(['jazz', 'jazz-2']),
      (slug) => {
        attempts.push(slug);
        return Promise.resolve(slug === 'jazz-3' ? undefined : { slug });
      },
    );
    expect(attempts).toEqual(['jazz-3', 'jazz-4']);
    expect(row).toEqual({ slug: 'jazz-4' });
  });
});

describe('renderMarkdown', () => {
  it('escapes raw HTML and refuses script links', () => {
    const html = renderMarkdown(
      '<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://example.org)',
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain(
      'href="https://example.org" rel="nofollow noopener noreferrer" target="_blank"',
    );
  });

  it('does not embed images (tracking pixels) but keeps formatting', () => {
    const html = renderMarkdown('# Title\n\n![pixel](https://tracker.example/p.gif)\n\n- **bold**');
    expect(html).not.toContain('<img');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
  });
});

describe('toPrefixTsQuery', () => {
  it('turns words into required prefixes and drops tsquery syntax', () => {
    expect(toPrefixTsQuery('Jazz  nig')).toBe('jazz:* & nig:*');
    expect(toPrefixTsQuery("'; DROP TABLE events; --")).toBe('drop:* & table:* & events:*');
    expect(toPrefixTsQuery('&|!():*')).toBeNull();
    expect(toPrefixTsQuery(undefined)).toBeNull();
    expect(toPrefixTsQuery('Müller Zürich')).toBe('müller:* & zürich:*');
  });
});

describe('cursors', () => {
  it('round-trip and reject tampering with a 400 AppError', () => {
    const schema = z.object({ s: z.string(), i: z.number() });
    expect(decodeCursor(encodeCursor({ s: 'x', i: 1 }), schema)).toEqual({ s: 'x', i: 1 });
    expect(decodeCursor(undefined, schema)).toBeUndefined();
    expect(() => decodeCursor('not base64 json', schema)).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor({ s: 1 }), schema)).toThrow(/cursor/);
  });
});

describe('toHttpError', () => {
  it('maps catalogue errors to their status and shape', () => {
    expect(toHttpError(new AppError('forbidden'))).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
      isExpected: true,
    });
    expect(toHttpError(new AppError('rate_limited', { retryAfterSeconds: 7 }))).toMatchObject({
      status: 429,
      headers: { 'retry-after': '7' },
    });
  });

  it('turns unknown errors into a detail-free 500', () => {
    const mapped = toHttpError(new Error('password=hunter2 at db.ts:12'));
    expect(mapped).toEqual({
      status: 500,
      body: { error: 'internal_error', message: 'Something went wrong on our side.' },
      isExpected: false,
    });
  });

  it('answers a database that cannot be reached with a retryable 503, without details', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    const error: unknown = await pool.query('SELECT 1').catch((e: unknown) => e);
    await pool.end();
    expect(toHttpError(error)).toEqual({
      status: 503,
      body: {
        error: 'service_unavailable',
        message: 'A service the app depends on is unavailable; try again shortly.',
      },
      headers: { 'retry-after': '1' },
      isExpected: false,
    });
    // pg's pool timing out under load says so in its message.
    expect(toHttpError(new Error('timeout exceeded when trying to connect')).status).toBe(503);
  });

  it('maps Fastify body errors', () => {
    expect(
      toHttpError(
        Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
      ).status,
    ).toBe(413);
    expect(
      toHttpError(
        Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }),
      ).body.error,
    ).toBe('invalid_json');
  });
});

describe('formatEventTime', () => {
  it('formats in each event’s own zone, whichever zone was formatted before', () => {
    const start = new Date('2030-06-01T18:00:00Z');
    const sameDay = new Date('2030-06-01T21:00:00Z');
    const nextDay = new Date('2030-06-02T09:00:00Z');
    expect(formatEventTime(start, sameDay, 'Europe/Lisbon')).toBe(
      'Saturday, 1 June 2030, 19:00 – 22:00 (Europe/Lisbon)',
    );
    expect(formatEventTime(start, nextDay, 'America/New_York')).toBe(
      'Saturday, 1 June 2030, 14:00 – Sunday, 2 June 2030, 05:00 (America/New_York)',
    );
    expect(formatEventTime(start, sameDay, 'Europe/Lisbon')).toBe(
      'Saturday, 1 June 2030, 19:00 – 22:00 (Europe/Lisbon)',
    );
  });
});

describe('rememberRecent', () => {
  it('builds a value once per key and forgets the oldest key beyond its bound', () => {
    const built: string[] = [];
    const upper = rememberRecent(2, (key: string) => {
      built.push(key);
      return { value: key.toUpperCase() };
    });
    const first = upper('a');
    expect(upper('a')).toBe(first);
    expect(upper('b').value).toBe('B');
    expect(upper('c').value).toBe('C');
    expect(built).toEqual(['a', 'b', 'c']);
    // 'a' was the oldest of three: built again; 'c' is still known.
    expect(upper('a')).not.toBe(first);
    expect(upper('a').value).toBe('A');
    upper('c');
    expect(built).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('findUnsafeText', () => {
  it('answers null for clean input of every shape', () => {
    expect(findUnsafeText({ a: 'x', b: [1, 'y', { c: null, d: true }], e: Buffer.from([0]) })).toBe(
      null,
    );
    expect(findUnsafeText('plain')).toBe(null);
    expect(findUnsafeText(undefined)).toBe(null);
    expect(findUnsafeText({ emoji: 'ok \ud83c\udf9f' })).toBe(null);
  });

  it('gives the path of a NUL or lone surrogate in a value or a key', () => {
    expect(findUnsafeText('a\0b')).toEqual([]);
    expect(findUnsafeText({ items: [{ ok: 'x' }, { name: 'lone \ud800' }] })).toEqual([
      'items',
      '1',
      'name',
    ]);
    expect(findUnsafeText({ meta: { 'k\0': 1 } })).toEqual(['meta', 'k\0']);
    expect(findUnsafeText({ tail: '\udc00 first' })).toEqual(['tail']);
    // Query strings are parsed into objects without a prototype.
    const query = Object.assign(Object.create(null) as object, { to: 'x\0' });
    expect(findUnsafeText(query)).toEqual(['to']);
  });

  it('ignores inherited properties and survives hostile nesting', () => {
    const inherited = Object.create({ bad: '\0' }) as object;
    expect(findUnsafeText(inherited)).toBe(null);
    let deep: unknown = 'deep \0';
    for (let i = 0; i < 20_000; i++) deep = i % 2 ? { n: deep } : [deep];
    expect(findUnsafeText(deep)).toHaveLength(20_000);
  });
});
