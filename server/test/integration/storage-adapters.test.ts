import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../src/adapters/storage/s3-storage.js';
import type { TStorage } from '../../src/adapters/storage/storage.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, verifyDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { systemClock } from '../../src/lib/clock.js';
import { storageContract } from '../contracts/storage-contract.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

describe('local storage (folder + HMAC-signed URLs served by the API)', () => {
  let ctx: TTestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  storageContract(() => ({
    storage: ctx.deps.storage,
    async fetchUrl(url) {
      const { pathname, search } = new URL(url);
      const res = await ctx.app.inject(`${pathname}${search}`);
      return { status: res.statusCode, body: res.rawPayload };
    },
    isSignatureChecked: true,
    now: () => ctx.clock.now(),
    passTime: (ms) => {
      ctx.clock.advance(ms);
      return Promise.resolve();
    },
  }));
});

describe('S3 storage against a real S3-protocol server (s3rver)', () => {
  const bucket = 'tickitnow-test';
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  let storage: TStorage;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tin-s3-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    storage = createS3Storage({
      bucket,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      prefix: 'files/',
      clock: systemClock,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  storageContract(() => ({
    storage,
    async fetchUrl(url) {
      const res = await fetch(url);
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
    },
    // s3rver verifies expiry of presigned URLs but not their SigV4 signature (AWS S3 does).
    isSignatureChecked: false,
    now: () => new Date(),
    passTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));

  it('names the variable to fix when the bucket is wrong at start-up', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      APP_SECRET: 'x'.repeat(40),
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'no-such-bucket',
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    const deps = await createDeps(
      { ...config, database: { kind: 'pglite', dataDir: null } },
      createLogger({ ...config, logLevel: 'silent' }),
    );
    try {
      await expect(verifyDeps(config, deps)).rejects.toThrow(
        /S3_BUCKET: cannot reach bucket "no-such-bucket"/,
      );
    } finally {
      await deps.database.close();
    }
  });

  it('lists every S3 setting problem at once', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        APP_SECRET: 'x'.repeat(40),
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: 'not a url',
        S3_ACCESS_KEY_ID: 'only-one',
      }),
    ).toThrow(/S3_ENDPOINT[\s\S]*S3_BUCKET: required[\s\S]*S3_ACCESS_KEY_ID/);
  });
});
