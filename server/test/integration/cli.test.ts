import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDatabase, createPostgresDatabase } from '../../src/adapters/database/database.js';
import { databaseUrlFor } from '../support/postgres-url.js';
import { testTarget } from '../support/test-context.js';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const adminUrl = process.env['TEST_DATABASE_URL'] ?? '';
const databaseName = `tin_cli_${process.pid}_${randomBytes(3).toString('hex')}`;
let dataDir: string;
let env: Record<string, string | undefined>;

/** The CLI runs as its own process on an empty database: a fresh PGlite directory or a new PostgreSQL database. */
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tin-cli-'));
  env = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    APP_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
  };
  if (testTarget === 'postgres') {
    const admin = createPostgresDatabase(adminUrl, 1);
    await sql.raw(`CREATE DATABASE ${databaseName}`).execute(admin.db);
    await admin.close();
    env['DATABASE_URL'] = databaseUrlFor(adminUrl, databaseName);
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (testTarget === 'postgres') {
    const admin = createPostgresDatabase(adminUrl, 1);
    await sql.raw(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).execute(admin.db);
    await admin.close();
  }
});

const cli = (...args: string[]) =>
  run('node', ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: serverDir,
    env,
    timeout: 120_000,
  });

describe('the command line', () => {
  // Each step is a process of its own opening the database, so this takes a while.
  it(
    'migrates, seeds the demo once, and creates an administrator',
    { timeout: 180_000 },
    async () => {
      await cli('migrate');
      await cli('seed');
      await cli('seed');
      await cli('create-admin', 'Root@Example.org');
      const bad = await cli('create-admin', 'not-an-email').catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(bad).toMatchObject({ code: 2 });

      const url = env['DATABASE_URL'];
      const check = url
        ? await createDatabase({ kind: 'postgres', url, poolSize: 1 })
        : await createDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pg') });
      try {
        const organizers = await check.db.selectFrom('organizers').select('slug').execute();
        expect(organizers.map((o) => o.slug)).toEqual(['tickitnow-demo']);
        const events = await check.db
          .selectFrom('events')
          .select(['status', 'category', 'venue_city', 'image_key'])
          .execute();
        expect(events.length).toBeGreaterThanOrEqual(6);
        expect(events.every((e) => e.status === 'published' && e.image_key)).toBe(true);
        expect(new Set(events.map((e) => e.category)).size).toBeGreaterThanOrEqual(5);
        expect(new Set(events.map((e) => e.venue_city)).size).toBeGreaterThanOrEqual(6);
        const ticketTypes = await check.db
          .selectFrom('ticket_types')
          .select(['event_id', 'price_cents'])
          .execute();
        expect(new Set(ticketTypes.map((t) => t.event_id)).size).toBe(events.length);
        expect(ticketTypes.some((t) => t.price_cents === 0)).toBe(true);
        // The first demo event has a history for its organizer's charts: views and paid orders.
        const views = await check.db
          .selectFrom('activity')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('type', '=', 'event_view')
          .executeTakeFirstOrThrow();
        expect(Number(views.n)).toBeGreaterThan(50);
        const paid = await check.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'paid')
          .executeTakeFirstOrThrow();
        // Seeding twice created them once.
        expect(Number(paid.n)).toBe(8);
        const admin = await check.db
          .selectFrom('users')
          .select(['email', 'is_admin'])
          .where('is_admin', '=', true)
          .execute();
        expect(admin).toEqual([{ email: 'root@example.org', is_admin: true }]);
      } finally {
        await check.close();
      }
    },
  );

  it('stops with every configuration problem listed', async () => {
    const failure = await run('node', ['--import', 'tsx', 'src/cli.ts', 'migrate'], {
      cwd: serverDir,
      env: { ...env, NODE_ENV: 'production', PORT: 'x', APP_SECRET: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    const stderr = (failure as { stderr: string }).stderr;
    for (const name of ['PORT', 'APP_SECRET', 'MAIL_DRIVER']) expect(stderr).toContain(name);
  });
});
