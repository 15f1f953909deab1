import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNginx, type TNginx } from './support/processes.js';

/**
 * What the API sees behind nginx, observed with an upstream that echoes each request back:
 * forwarded headers, WebSocket upgrades and unbuffered event streams.
 */
type TEcho = { method: string; url: string; headers: IncomingHttpHeaders };

/** Upgraded sockets leave the HTTP server's bookkeeping; they are closed here at the end. */
const upgradedSockets = new Set<Duplex>();

function startEchoUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/api/v1/stream') {
      // An event stream: one event now, the next much later; the first must arrive at once.
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      const timer = setTimeout(() => res.end('data: second\n\n'), 3_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    const echo: TEcho = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(echo));
  });
  // A minimal WebSocket-style upgrade: 101, then every message is answered in upper case.
  server.on('upgrade', (req, socket) => {
    upgradedSockets.add(socket);
    socket.on('close', () => upgradedSockets.delete(socket));
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `X-Echo-Connection: ${String(req.headers['connection'])}\r\n\r\n`,
    );
    socket.on('data', (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** GET through nginx from a chosen loopback address, returning what the upstream saw. */
function echoThrough(
  url: string,
  headers: Record<string, string> = {},
  localAddress = '127.0.0.1',
): Promise<TEcho> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as TEcho);
        } catch {
          reject(new Error(`not an echo (${res.statusCode}): ${body}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('nginx proxying (deploy/nginx) as seen by the upstream', () => {
  let upstream: Server;
  let nginx: TNginx;
  let webRoot = '';

  beforeAll(async () => {
    upstream = await startEchoUpstream();
    webRoot = await mkdtemp(path.join(os.tmpdir(), 'tin-web-'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    // Readable by nginx's workers, which drop to `nobody` when the tests run as root.
    await chmod(webRoot, 0o755);
    nginx = await startNginx({
      apiUpstream: `127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      webRoot,
      // Only 127.0.0.1 plays the load balancer; other loopback addresses are plain clients.
      trustedProxyCidr: '127.0.0.1/32',
    });
  });

  afterAll(async () => {
    await nginx?.stop();
    for (const socket of upgradedSockets) socket.destroy();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  test('passes the request unchanged with Host, X-Forwarded-* and a request id', async () => {
    const echo = await echoThrough(`${nginx.url}/api/v1/events?q=a%20b&limit=2`, {}, '127.0.0.2');
    expect(echo.method).toBe('GET');
    expect(echo.url).toBe('/api/v1/events?q=a%20b&limit=2');
    expect(echo.headers['host']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-host']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.2');
    expect(echo.headers['x-real-ip']).toBe('127.0.0.2');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    // HTTP/1.1 to the upstream, no stray Connection: close or Upgrade.
    expect(echo.headers['upgrade']).toBeUndefined();
  });

  test('proxies /fn, /files, /healthz and /readyz too', async () => {
    for (const route of ['/fn/send-otp', '/files/a/b.png?sig=x', '/healthz', '/readyz']) {
      const echo = await echoThrough(`${nginx.url}${route}`);
      expect(echo.url, route).toBe(route);
    }
  });

  test('a client cannot spoof its address; a trusted load balancer can tell it', async () => {
    const spoofed = await echoThrough(
      `${nginx.url}/api/v1/me`,
      { 'x-forwarded-for': '198.51.100.1' },
      '127.0.0.2',
    );
    expect(spoofed.headers['x-forwarded-for']).toBe('127.0.0.2');

    const behindLoadBalancer = await echoThrough(
      `${nginx.url}/api/v1/me`,
      { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
      '127.0.0.1',
    );
    expect(behindLoadBalancer.headers['x-forwarded-for']).toBe('203.0.113.7');
    expect(behindLoadBalancer.headers['x-real-ip']).toBe('203.0.113.7');
    expect(behindLoadBalancer.headers['x-forwarded-proto']).toBe('https');
  });

  test('serves HSTS on the static app only when the user is on https', async () => {
    const plain = await fetch(`${nginx.url}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const secure = await fetch(`${nginx.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(secure.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  test('upgrades WebSocket connections end to end', async () => {
    const { status, connection, reply } = await new Promise<{
      status: number;
      connection: string;
      reply: string;
    }>((resolve, reject) => {
      const req = request(`${nginx.url}/api/v1/live`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket' },
      });
      req.on('upgrade', (res, socket) => {
        socket.once('data', (chunk: Buffer) => {
          resolve({
            status: res.statusCode ?? 0,
            connection: String(res.headers['x-echo-connection']),
            reply: chunk.toString(),
          });
          socket.destroy();
        });
        socket.write('hello through nginx');
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(101);
    expect(connection.toLowerCase()).toBe('upgrade');
    expect(reply).toBe('HELLO THROUGH NGINX');
  });

  test('streams server-sent events without buffering', async () => {
    const started = Date.now();
    const { contentType, contentEncoding, firstChunk } = await new Promise<{
      contentType: string;
      contentEncoding: string | undefined;
      firstChunk: string;
    }>((resolve, reject) => {
      const req = request(`${nginx.url}/api/v1/stream`, {
        headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip' },
      });
      req.on('response', (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({
            contentType: res.headers['content-type'] ?? '',
            contentEncoding: res.headers['content-encoding'],
            firstChunk: chunk.toString(),
          });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.end();
    });
    // The second event comes after 3 s: the first one must not have waited for it.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(contentType).toBe('text/event-stream');
    expect(contentEncoding).toBeUndefined();
    expect(firstChunk).toContain('data: first');
  });
});
