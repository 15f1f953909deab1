/**
 * Only the web part of the bench (≈ 1 minute), for working on the web app's scores:
 *
 *   npm run bench -- --web-only      prints the figures as JSON, writes nothing
 *
 * Its own database (dropped afterwards) with the catalogue the full bench creates (an organizer
 * and published events through the API), then bench/lib/web.ts on one API instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { run, startTs, stop, type TChild } from './processes.js';
import { createOrganizer, createPublishedEvent, createSignedInUsers } from './setup.js';
import { measureWeb } from './web.js';

export async function runWebOnly(adminUrl: string): Promise<number> {
  const startedAt = Date.now();
  const log = (message: string) =>
    process.stdout.write(`[web ${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${message}\n`);
  const dbName = `tin_bench_web_${process.pid}_${Date.now()}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tin-bench-web-data-'));
  const port = 4110;
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_URL: dbUrl.toString(),
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    SERVE_WEB: 'false',
    LOG_LEVEL: 'warn',
  };
  const children: TChild[] = [];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  try {
    await db.connect();
    await run(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'migrate'], env);
    const [owner, staff] = await createSignedInUsers(db, ['owner@bench.test', 'staff@bench.test']);
    if (!owner || !staff) throw new Error('seed users missing');
    const ownerToken = owner.tokens[0] ?? '';
    const catalogue = await startTs('server/src/cli.ts', ['serve'], env, {
      readyPattern: /TickItNow is ready/,
    });
    children.push(catalogue);
    const organizerId = await createOrganizer(baseUrl, ownerToken, staff.email);
    for (let n = 0; n < 40; n++) await createPublishedEvent(baseUrl, ownerToken, organizerId, n);
    await stop(catalogue);
    const web = await measureWeb({
      baseUrl,
      ownerToken,
      organizerId,
      log,
      startServer: async (extra) => {
        const child = await startTs(
          'server/src/cli.ts',
          ['serve'],
          { ...env, ...extra },
          { readyPattern: /TickItNow is ready/ },
        );
        children.push(child);
        return child;
      },
    });
    process.stdout.write(`${JSON.stringify(web, null, 2)}\n`);
    return 0;
  } finally {
    for (const child of children) await stop(child);
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
