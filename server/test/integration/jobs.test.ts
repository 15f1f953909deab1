import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, enqueueJob } from '../../src/adapters/jobs/job-queue.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const logger = pino({ level: 'silent' });

describe('the durable job queue', () => {
  it('keeps jobs across a restart: a new worker runs what the old one never got to', async () => {
    await enqueueJob(ctx.db, ctx.clock, { kind: 'test.note', payload: { n: 1 } });
    const seen: number[] = [];
    // "Restart": a brand-new runner (as in a new process) on the same database.
    const runner = createJobRunner({
      db: ctx.db,
      clock: ctx.clock,
      logger,
      handlers: { 'test.note': (job) => Promise.resolve(void seen.push(Number(job.payload['n']))) },
    });
    await runner.drain();
    expect(seen).toEqual([1]);
    await runner.drain();
    expect(seen).toEqual([1]);
  });

  it('retries a failed job with backoff and gives up after max attempts', async () => {
    let calls = 0;
    const runner = createJobRunner({
      db: ctx.db,
      clock: ctx.clock,
      logger,
      handlers: { 'test.flaky': () => Promise.reject(new Error(`boom ${++calls}`)) },
    });
    await enqueueJob(ctx.db, ctx.clock, {
      kind: 'test.flaky',
      maxAttempts: 3,
      dedupeKey: 'flaky-1',
    });
    for (let i = 0; i < 5; i++) {
      await runner.drain();
      ctx.clock.advance(60_000);
    }
    expect(calls).toBe(3);
    const row = await ctx.db
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', '=', 'flaky-1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 3, last_error: 'boom 3', done_at: null });
    expect(row.failed_at).toBeInstanceOf(Date);
  });

  it('runs a job whose worker died again once its lease ends, and never twice at once', async () => {
    await enqueueJob(ctx.db, ctx.clock, { kind: 'test.lease', dedupeKey: 'lease-1' });
    // A worker claims the job and dies before finishing: the lease is all that remains of it.
    await ctx.db
      .updateTable('jobs')
      .set({ locked_until: new Date(ctx.clock.now().getTime() + 60_000), attempts: 1 })
      .where('dedupe_key', '=', 'lease-1')
      .execute();
    const runs: string[] = [];
    const runner = createJobRunner({
      db: ctx.db,
      clock: ctx.clock,
      logger,
      handlers: { 'test.lease': () => Promise.resolve(void runs.push('ran')) },
    });
    await runner.drain();
    expect(runs).toEqual([]);
    ctx.clock.advance(60_001);
    await Promise.all([runner.drain(), runner.drain()]);
    expect(runs).toEqual(['ran']);
  });

  it('enqueues a deduplicated job once', async () => {
    await enqueueJob(ctx.db, ctx.clock, { kind: 'test.once', dedupeKey: 'once' });
    await enqueueJob(ctx.db, ctx.clock, { kind: 'test.once', dedupeKey: 'once' });
    expect(
      await ctx.db.selectFrom('jobs').select('id').where('dedupe_key', '=', 'once').execute(),
    ).toHaveLength(1);
  });
});
