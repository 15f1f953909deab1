import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/adapters/database/database.js';
import { buildApp } from '../../src/app.js';
import { createDeps } from '../../src/deps.js';
import {
  buyTickets,
  makeOnSaleEvent,
  signIn,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';
import { databaseUrlFor } from '../support/postgres-url.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

const run = promisify(execFile);

/**
 * The backup runbook of docs/OPERATIONS.md, for real: pg_dump of a populated database,
 * pg_restore into a new one, and the app reading it back identically (and still verifying and
 * admitting tickets, whose signing keys are encrypted with APP_SECRET).
 */
describe('backup and restore with pg_dump / pg_restore (PostgreSQL)', () => {
  let ctx: TTestContext;
  const scratch = mkdtempSync(path.join(tmpdir(), 'tin-backup-'));
  const restoredName = `tin_restore_${process.pid}_${Date.now()}`;
  let restoredUrl: string;

  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    const admin = createPostgresDatabase(process.env['TEST_DATABASE_URL'] ?? '', 1);
    await sql.raw(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`).execute(admin.db);
    await admin.close();
    await ctx.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restores a populated database that the app reads back identically', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 20 });
    const buyer = await signIn(ctx, uniqueEmail('backup'));
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 3);
    const [first, second] = order.tickets;
    const scan = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/check-ins`,
      headers: owner.headers,
      payload: { code: first!.code, gate: 'North' },
    });
    expect(scan.statusCode).toBe(200);
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/activity',
      payload: [{ type: 'event_view', eventId: event.id, visitorId: 'visitor-backup-1' }],
    });
    await ctx.drainJobs();

    const reads = (app: TTestContext['app'], who: { owner: TSignedIn; buyer: TSignedIn }) =>
      Promise.all(
        [
          { url: `/api/v1/events/${event.slug}` },
          { url: `/api/v1/events/${event.id}/ticket-types` },
          { url: '/api/v1/me/tickets', headers: who.buyer.headers },
          { url: `/api/v1/orders/${order.id}`, headers: who.buyer.headers },
          { url: `/api/v1/events/${event.id}/analytics`, headers: who.owner.headers },
          { url: `/api/v1/events/${event.id}/attendees?format=csv`, headers: who.owner.headers },
          { url: `/api/v1/events/${event.id}/check-ins/stats`, headers: who.owner.headers },
          { url: `/api/v1/organizers/${event.organizerId}/audit-log`, headers: who.owner.headers },
        ].map(async (request) => {
          const res = await app.inject(request);
          return { url: request.url, status: res.statusCode, body: res.body };
        }),
      );
    const before = await reads(ctx.app, { owner, buyer });
    expect(before.every((r) => r.status === 200)).toBe(true);

    const dumpFile = path.join(scratch, 'tickitnow.dump');
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      `--file=${dumpFile}`,
      ctx.databaseUrl ?? '',
    ]);
    const admin = createPostgresDatabase(process.env['TEST_DATABASE_URL'] ?? '', 1);
    await sql.raw(`CREATE DATABASE ${restoredName}`).execute(admin.db);
    await admin.close();
    restoredUrl = databaseUrlFor(process.env['TEST_DATABASE_URL'] ?? '', restoredName);
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoredUrl}`, dumpFile]);

    // A second deployment on the restored database: same APP_SECRET, same files, same clock.
    const database = createPostgresDatabase(restoredUrl, 5);
    const deps = await createDeps(ctx.config, ctx.logger, {
      database,
      cache: ctx.cache,
      clock: ctx.clock,
    });
    const restored = await buildApp(ctx.config, deps, ctx.logger);
    try {
      await restored.app.ready();
      const after = await reads(restored.app, { owner, buyer });
      expect(after).toEqual(before);

      // The restored database still verifies and admits tickets, and remembers admissions.
      const again = await restored.app.inject({
        method: 'POST',
        url: `/api/v1/events/${event.id}/check-ins`,
        headers: owner.headers,
        payload: { code: first!.code },
      });
      expect(again.statusCode).toBe(409);
      const next = await restored.app.inject({
        method: 'POST',
        url: `/api/v1/events/${event.id}/check-ins`,
        headers: owner.headers,
        payload: { code: second!.code },
      });
      expect(next.statusCode).toBe(200);
      const counts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(
        database.db,
      );
      expect(counts.rows[0]?.n).toBe(3);
    } finally {
      await restored.app.close();
      await database.close();
    }
  });
});
