import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { repoRoot, run, startTs, stop } from './processes.js';
import { median, round } from './stats.js';

/**
 * autocannon against one URL; req/s (mean over the run) and latency percentiles. Each run starts
 * with an unrecorded second of the same load (autocannon's warm-up), so that every figure — H as
 * well as the API's — is taken from a server whose compiler has seen the route.
 */
export async function cannon(
  url: string,
  options: { connections: number; durationS: number; headers?: Record<string, string> },
) {
  // autocannon 8 takes `warmup`; @types/autocannon (7.12) does not list it yet.
  const run: autocannon.Options & { warmup: { connections: number; duration: number } } = {
    url,
    connections: options.connections,
    duration: options.durationS,
    headers: options.headers ?? {},
    warmup: { connections: options.connections, duration: 1 },
  };
  const result = await autocannon(run);
  return {
    reqPerSec: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
    status5xx: result['5xx'],
  };
}

/** H: a Fastify hello-world on this Node, measured like the API's read path. */
export async function measureH(options: { connections: number; durationS: number; runs: number }) {
  const port = 3999;
  const server = await startTs(
    path.join(repoRoot, 'bench/hello-server.ts'),
    [],
    { PORT: String(port) },
    { readyPattern: /ready/ },
  );
  try {
    const runs = [];
    for (let i = 0; i < options.runs; i++)
      runs.push(await cannon(`http://127.0.0.1:${port}/`, options));
    return {
      H: median(runs.map((r) => r.reqPerSec)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      runs: runs.map((r) => r.reqPerSec),
    };
  } finally {
    await stop(server);
  }
}

const pgbenchTps = (output: string) =>
  Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? NaN);

/**
 * R1: the hot-row ceiling, 32 clients each running the single-row conditional UPDATE that holds
 * seats. RN: `pgbench -N` (uncontended writes over many rows) on the same server.
 */
export async function measurePgBaselines(
  admin: pg.Client,
  dbUrl: string,
  options: { durationS: number; runs: number },
) {
  await admin.query(`CREATE TABLE bench_counter (
    id int PRIMARY KEY, sold int NOT NULL, cap int NOT NULL, CHECK (sold <= cap))`);
  await admin.query(`INSERT INTO bench_counter VALUES (1, 0, 2147483647)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tin-bench-'));
  const script = path.join(dir, 'hold.sql');
  writeFileSync(
    script,
    'UPDATE bench_counter SET sold = sold + 1 WHERE id = 1 AND sold < cap;\n',
    'utf8',
  );
  try {
    await run('pgbench', ['-i', '-q', '-s', '1', dbUrl]);
    const common = ['-n', '-M', 'prepared', '-c', '32', '-j', '2', '-T', String(options.durationS)];
    const r1: number[] = [];
    const rn: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      r1.push(pgbenchTps(await run('pgbench', [...common, '-f', script, dbUrl])));
      rn.push(pgbenchTps(await run('pgbench', [...common, '-N', dbUrl])));
    }
    return { R1: round(median(r1)), RN: round(median(rn)), r1Runs: r1, rnRuns: rn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
