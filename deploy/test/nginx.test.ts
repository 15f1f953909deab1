import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumFlags, chromiumPath } from '../../web/e2e/chromium.js';
import {
  findFreePort,
  startNginx,
  startTickItNow,
  webDist,
  type TNginx,
  type TServer,
} from './support/processes.js';

/** The hashed script the built index.html loads, e.g. /assets/index-C0ffee12.js. */
function builtScriptPath(): string {
  const html = readFileSync(path.join(webDist, 'index.html'), 'utf8');
  const match = /src="(\/assets\/[^"]+\.js)"/.exec(html);
  if (!match?.[1]) throw new Error('web/dist/index.html loads no /assets/*.js');
  return match[1];
}

/**
 * Sends only the headers of a request announcing a body of `contentLength` bytes and resolves with
 * the answer: nginx must refuse it from the Content-Length alone.
 */
function announceBody(url: string, contentLength: number) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = request(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png', 'content-length': String(contentLength) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body,
        }),
      );
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('nginx (deploy/nginx) in front of the real TickItNow server', () => {
  let server: TServer;
  let nginx: TNginx;

  beforeAll(async () => {
    if (!existsSync(path.join(webDist, 'index.html')))
      throw new Error('web/dist is missing: build the web app first (npm run build -w web).');
    const port = await findFreePort();
    server = await startTickItNow(`http://127.0.0.1:${port}`);
    nginx = await startNginx({
      port,
      apiUpstream: `127.0.0.1:${server.port}`,
      webRoot: webDist,
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    await server?.stop();
  });

  test('serves index.html with no-cache and the security headers', async () => {
    const response = await fetch(`${nginx.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // No nginx version for scanners, no HSTS on plain http, no internal marker header.
    expect(response.headers.get('server')).toBe('nginx');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-tin-proxied')).toBeNull();
    expect(await response.text()).toContain('<div id="root">');
  });

  test('hashed assets are cached for a year as immutable and gzip-compressed', async () => {
    const response = await fetch(`${nginx.url}${builtScriptPath()}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    // fetch decompresses: the script arrives intact.
    const script = await response.text();
    expect(script.length).toBeGreaterThan(1_000);
  });

  test('a missing asset is a 404, not the app shell', async () => {
    const response = await fetch(`${nginx.url}/assets/does-not-exist-1234.js`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBeNull();
    expect(await response.text()).not.toContain('<div id="root">');
  });

  test('client-side routes fall back to index.html (history API)', async () => {
    const index = await (await fetch(`${nginx.url}/index.html`)).text();
    for (const route of ['/events/some-event', '/dashboard', '/dev/mailbox', '/tickets/x/y']) {
      const response = await fetch(`${nginx.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
      expect(await response.text(), route).toBe(index);
    }
  });

  test('dotfiles and /metrics are not served publicly', async () => {
    expect((await fetch(`${nginx.url}/.env`)).status).toBe(404);
    expect((await fetch(`${nginx.url}/.git/config`)).status).toBe(404);
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
    // The API itself still has them, for the scraper on the private network.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  test('proxies /api/v1/events to the API, compressed, with its own headers once', async () => {
    const response = await fetch(`${nginx.url}/api/v1/events?limit=50`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { items: { slug: string; status: string }[] };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((e) => e.status === 'published')).toBe(true);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    // The API's own (REST) security headers, not doubled by nginx's static ones: its CSP is
    // `default-src 'none'`, the pages' is `default-src 'self'`, and only pages get a
    // Permissions-Policy from nginx.
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('permissions-policy')).toBeNull();
    expect(response.headers.get('x-tin-proxied')).toBeNull();
    // nginx generated a request id and the API adopted it.
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  test('proxies an event page request and a well-formed client request id', async () => {
    const list = (await (await fetch(`${nginx.url}/api/v1/events`)).json()) as {
      items: { slug: string; title: string }[];
    };
    const first = list.items[0];
    if (!first) throw new Error('the demo data has no published event');
    const response = await fetch(`${nginx.url}/api/v1/events/${first.slug}`, {
      headers: { 'x-request-id': 'deploy-test-request-1' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { title: string }).title).toBe(first.title);
    expect(response.headers.get('x-request-id')).toBe('deploy-test-request-1');
  });

  test('unknown API paths get the API JSON error, not the app shell', async () => {
    for (const route of ['/api/v1/nope', '/fn/nope', '/files/nope']) {
      const response = await fetch(`${nginx.url}${route}`);
      // 404, or 403 for a file URL without a valid signature.
      expect([403, 404], route).toContain(response.status);
      expect(response.headers.get('content-type'), route).toMatch(/^application\/json/);
    }
  });

  test('proxies /healthz and /readyz', async () => {
    const health = await fetch(`${nginx.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).not.toBe('no-cache');
    const ready = await fetch(`${nginx.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  test('refuses a body over the limit with 413 in the API error shape', async () => {
    const tooLarge = await announceBody(`${nginx.url}/api/v1/events/x/image`, 12 * 1024 * 1024);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ error: 'payload_too_large' });
    // Within nginx's limit the request reaches the API (which decides for itself).
    const upload = await fetch(
      `${nginx.url}/api/v1/events/00000000-0000-4000-8000-000000000000/image`,
      {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(2 * 1024 * 1024),
      },
    );
    expect(upload.status).not.toBe(413);
    expect(upload.headers.get('content-type')).toMatch(/^application\/json/);
    expect(upload.headers.get('x-request-id')).toBeTruthy();
  });

  test('a browser journey through nginx: discover, open an event, reload its page', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [...chromiumFlags],
      });
      const context = await browser.newContext({ baseURL: nginx.url, locale: 'en-US' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        // Signed out, the app's /api/v1/me probe answers 401 by design; anything else counts.
        const text = message.text();
        if (message.type() === 'error' && !/status of 401/.test(text)) problems.push(text);
      });
      page.on('pageerror', (error) => problems.push(error.message));

      await page.goto('/');
      const card = page.locator('a[href^="/events/"]').first();
      await card.waitFor();
      const title = (await card.textContent())?.trim() ?? '';
      const href = (await card.getAttribute('href')) ?? '';
      expect(title).not.toBe('');
      await card.click();
      await page.waitForURL(`**${href}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();

      // A deep link loaded from scratch goes through nginx's history fallback.
      const reloaded = await page.goto(href);
      expect(reloaded?.status()).toBe(200);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      // The app ran under nginx's CSP without a single violation or script error.
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  test('nginx logged no errors beyond the refused body', () => {
    const problems = nginx
      .errorLog()
      .split('\n')
      .filter((line) => /\[(error|crit|alert|emerg)\]/.test(line))
      .filter((line) => !line.includes('client intended to send too large body'));
    expect(problems).toEqual([]);
  });
});
