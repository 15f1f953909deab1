import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { apiSecurityHeaders, securityHeaders } from '../../src/http/security-headers.js';

const secret = 'a-very-long-secret-of-at-least-32-characters';

// The headers @fastify/helmet 13 (helmet 8) sent with our options, pinned so that computing
// them once at start-up changes nothing a browser sees.
const helmetDefaults = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('securityHeaders', () => {
  it('over http: a same-origin CSP with images from PUBLIC_URL, no HSTS', () => {
    const headers = securityHeaders(
      loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:4000' }),
    );
    expect(headers).toEqual({
      ...helmetDefaults,
      'content-security-policy':
        "default-src 'self';base-uri 'self';font-src 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data: blob: http://127.0.0.1:4000;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';connect-src 'self'",
    });
  });

  it('over https with S3: HSTS, upgrade-insecure-requests and the bucket as an image source', () => {
    const headers = securityHeaders(
      loadConfig({
        PUBLIC_URL: 'https://tickets.example.org',
        APP_SECRET: secret,
        DATABASE_URL: 'postgres://u:p@db:5432/app',
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'tin-files',
        AWS_REGION: 'eu-west-1',
      }),
    );
    expect(headers).toEqual({
      ...helmetDefaults,
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'content-security-policy':
        "default-src 'self';base-uri 'self';font-src 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data: blob: https://tickets.example.org https://tin-files.s3.eu-west-1.amazonaws.com;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';upgrade-insecure-requests;connect-src 'self'",
    });
  });

  it('API answers: the REST set, HSTS only over https', () => {
    const rest = {
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    };
    expect(
      apiSecurityHeaders(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:4000' })),
    ).toEqual(rest);
    expect(
      apiSecurityHeaders(
        loadConfig({
          PUBLIC_URL: 'https://tickets.example.org',
          APP_SECRET: secret,
          DATABASE_URL: 'postgres://u:p@db:5432/app',
        }),
      ),
    ).toEqual({ ...rest, 'strict-transport-security': 'max-age=31536000; includeSubDomains' });
  });
});
