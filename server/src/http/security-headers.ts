import type { FastifyInstance } from 'fastify';
import type { TConfig } from '../config.js';

/**
 * The Content-Security-Policy, directive by directive, in the order it is sent. Everything is
 * same-origin except images: stored images and QR codes are served from signed URLs on
 * PUBLIC_URL (which may be a different origin than the one the page was opened on, 127.0.0.1 vs
 * localhost) or from the S3 bucket.
 */
function contentSecurityPolicy(config: TConfig): string {
  const isHttps = config.publicUrl.startsWith('https:');
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['base-uri', ["'self'"]],
    ['font-src', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    [
      'img-src',
      ["'self'", 'data:', 'blob:', new URL(config.publicUrl).origin, ...storageOrigins(config)],
    ],
    ['object-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['script-src-attr', ["'none'"]],
    ['style-src', ["'self'"]],
    ...(isHttps ? [['upgrade-insecure-requests', []] as [string, string[]]] : []),
    ['connect-src', ["'self'"]],
  ];
  return directives
    .map(([name, values]) => (values.length ? `${name} ${values.join(' ')}` : name))
    .join(';');
}

/**
 * The security headers of pages and files: helmet's defaults (without Cross-Origin-Embedder-Policy,
 * and HSTS only behind https) with our CSP. They depend on configuration alone, so they are
 * computed once at start-up; @fastify/helmet rebuilt the whole set, CSP parsing included, on
 * every request, which showed in the read path's CPU profile.
 */
export function securityHeaders(config: TConfig): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': contentSecurityPolicy(config),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(config.publicUrl.startsWith('https:')
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  });
}

/**
 * The security headers of API responses (`/api/v1/…`, JSON or images that no page is built
 * from): OWASP's REST Security Cheat Sheet set. A response opened as a document may load nothing
 * and be framed nowhere (`default-src 'none'`, stricter than the pages' policy), no other site
 * may read it through a no-cors request (CORP), and its type is never sniffed. The rest of
 * helmet's set — opener and agent-cluster isolation, DNS prefetching, IE's download and Flash
 * policies, the XSS auditor — only concerns HTML documents. Fewer and shorter headers matter on
 * the API's hottest answers: the set above cost a hello-world server 12 % of its requests/s on
 * this machine (docs/BENCHMARKS.md).
 */
export function apiSecurityHeaders(config: TConfig): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': "default-src 'none';frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...(config.publicUrl.startsWith('https:')
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
}

/**
 * Sets the security headers when a request arrives (as helmet did), so a route that sets one of
 * them itself (the API docs page sets its own CSP) still has the last word: the API's set on
 * `/api/v1/`, the pages' set on everything else (the web app, files, the API docs).
 */
export function registerSecurityHeaders(app: FastifyInstance, config: TConfig) {
  const pageHeaders = Object.entries(securityHeaders(config));
  const apiHeaders = Object.entries(apiSecurityHeaders(config));
  app.addHook('onRequest', (req, reply, done) => {
    const headers = req.url.startsWith('/api/v1/') ? apiHeaders : pageHeaders;
    for (const [name, value] of headers) void reply.header(name, value);
    done();
  });
}

/** Where presigned S3 URLs point, so the CSP lets images load from there and nowhere else. */
function storageOrigins(config: TConfig): string[] {
  if (config.storage.driver !== 's3') return [];
  const { bucket, endpoint, forcePathStyle } = config.storage;
  if (endpoint) {
    const url = new URL(endpoint);
    return [forcePathStyle ? url.origin : `${url.protocol}//${bucket}.${url.host}`];
  }
  return [`https://${bucket}.s3.${config.awsRegion}.amazonaws.com`];
}
