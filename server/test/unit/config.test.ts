import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const secret = 'a-very-long-secret-of-at-least-32-characters';

describe('loadConfig', () => {
  it('gives a laptop everything it needs by default', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      database: { kind: 'pglite' },
      redis: null,
      mail: { driver: 'dev-mailbox' },
      sessionTtlMs: 30 * 86_400_000,
      otp: { ttlMs: 600_000 },
      isAppSecretGenerated: true,
      workers: { inProcess: true, niceness: 10 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('selects PostgreSQL and Redis from their URLs and parses durations', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
      SESSION_TTL: '12h',
      OTP_TTL: '90s',
      PUBLIC_URL: 'https://tickets.example.org/',
      APP_SECRET: secret,
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/app',
      poolSize: 10,
    });
    expect(config.redis).toEqual({ url: 'redis://cache:6379', keyPrefix: 'tin:' });
    expect(config.sessionTtlMs).toBe(12 * 3_600_000);
    expect(config.otp.ttlMs).toBe(90_000);
    expect(config.publicUrl).toBe('https://tickets.example.org');
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SESSION_TTL: 'forever',
        APP_SECRET: 'short',
        WORKER_NICENESS: '25',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'SESSION_TTL', 'APP_SECRET', 'WORKER_NICENESS'])
        expect(problems).toContain(name);
    }
  });

  it('refuses unsafe defaults in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('MAIL_DRIVER');
      expect(problems).toContain('APP_SECRET');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('PUBLIC_URL');
    }
    const ok = loadConfig({
      NODE_ENV: 'production',
      APP_SECRET: secret,
      MAIL_DRIVER: 'smtp',
      SMTP_URL: 'smtp://mail:587',
      DATABASE_URL: 'postgresql://db/app',
      PUBLIC_URL: 'https://tickets.example.org',
    });
    expect(ok).toMatchObject({
      isProduction: true,
      isAppSecretGenerated: false,
      mail: { driver: 'smtp' },
      seedDemo: false,
    });
  });

  it('needs SMTP_URL for the smtp driver', () => {
    expect(() => loadConfig({ MAIL_DRIVER: 'smtp' })).toThrow(/SMTP_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: '', PORT: '' })).toMatchObject({
      port: 3000,
      database: { kind: 'pglite' },
    });
  });
});
