import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { TDb } from '../database/database.js';
import type { TClock } from '../../lib/clock.js';

export type TJob = { id: number; kind: string; payload: Record<string, unknown>; attempts: number };

export type TEnqueue = {
  kind: string;
  payload?: Record<string, unknown>;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** A job whose key was enqueued before is not enqueued again. */
  dedupeKey?: string;
  maxAttempts?: number;
};

/**
 * Adds a job. Call it with the transaction that makes the change the job follows from, so the
 * job exists exactly when the change does (a transactional outbox).
 */
export function enqueueJob(db: TDb, clock: TClock, job: TEnqueue): Promise<void> {
  return enqueueJobs(db, clock, [job]);
}

/**
 * The rows `jobs` would hold for these jobs, payloads as objects. For a statement that writes
 * jobs together with other rows (orders.repository.ts `payPending`); enqueueJobs uses it too.
 */
export function jobRows(clock: TClock, jobs: TEnqueue[]) {
  return jobs.map((job) => ({
    kind: job.kind,
    payload: job.payload ?? {},
    dedupe_key: job.dedupeKey ?? null,
    run_at: job.runAt ?? clock.now(),
    max_attempts: job.maxAttempts ?? 8,
  }));
}

/** Adds several jobs in one statement (see enqueueJob). */
export async function enqueueJobs(db: TDb, clock: TClock, jobs: TEnqueue[]): Promise<void> {
  if (!jobs.length) return;
  await db
    .insertInto('jobs')
    .values(jobRows(clock, jobs).map((row) => ({ ...row, payload: JSON.stringify(row.payload) })))
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .execute();
}

export type TJobHandler = (job: TJob) => Promise<void>;

export type TJobRunnerOptions = {
  db: TDb;
  clock: TClock;
  logger: FastifyBaseLogger;
  handlers: Record<string, TJobHandler>;
  /** Work that is not a queued job but must happen regularly (e.g. expiring lapsed holds). */
  sweeps?: { name: string; everyMs: number; run: () => Promise<number> }[];
  /** How long a claimed job is reserved; a worker that dies releases it when this passes. */
  leaseMs?: number;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Jobs of a batch run this many at a time. */
  concurrency?: number;
};

/** How often the sweep loop looks whether a sweep is due (each has its own `everyMs`). */
const SWEEP_TICK_MS = 250;

/**
 * Runs due jobs at least once. Several workers (in API processes or separate ones) share the
 * queue: each claims a batch with FOR UPDATE SKIP LOCKED and a lease, so a job runs on one worker
 * at a time, and a job whose worker died is picked up again when its lease ends.
 */
export function createJobRunner(options: TJobRunnerOptions) {
  const { db, clock, logger, handlers } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const sweeps = (options.sweeps ?? []).map((s) => ({ ...s, lastRunAt: 0 }));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;
  const concurrency = options.concurrency ?? 4;
  let isStopped = true;

  async function claimDue(): Promise<TJob[]> {
    const now = clock.now();
    const rows = await sql<{
      id: number;
      kind: string;
      payload: Record<string, unknown>;
      attempts: number;
    }>`
      UPDATE jobs SET locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM jobs
        WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= ${now}
          AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY run_at, id
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, kind, payload, attempts`.execute(db);
    return rows.rows;
  }

  async function runJob(job: TJob): Promise<void> {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job);
      await db
        .updateTable('jobs')
        .set({ done_at: clock.now(), locked_until: null, last_error: null })
        .where('id', '=', job.id)
        .execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const row = await db
        .selectFrom('jobs')
        .select('max_attempts')
        .where('id', '=', job.id)
        .executeTakeFirst();
      const isFinal = job.attempts >= (row?.max_attempts ?? 1);
      // Exponential backoff: 2 s, 4 s, 8 s … capped at 10 minutes.
      const delay = Math.min(600_000, 2 ** job.attempts * 1000);
      await db
        .updateTable('jobs')
        .set({
          locked_until: null,
          last_error: message.slice(0, 2000),
          run_at: new Date(clock.now().getTime() + delay),
          ...(isFinal ? { failed_at: clock.now() } : {}),
        })
        .where('id', '=', job.id)
        .execute();
      logger[isFinal ? 'error' : 'warn'](
        { jobId: job.id, kind: job.kind, attempts: job.attempts, err: error },
        isFinal ? 'job failed for good' : 'job failed; will retry',
      );
    }
  }

  async function runSweeps(force: boolean): Promise<number> {
    let done = 0;
    const now = clock.now().getTime();
    for (const sweep of sweeps) {
      if (!force && now - sweep.lastRunAt < sweep.everyMs) continue;
      sweep.lastRunAt = now;
      try {
        done += await sweep.run();
      } catch (error) {
        logger.warn({ sweep: sweep.name, err: error }, 'sweep failed; will retry');
      }
    }
    return done;
  }

  /** Runs sweeps and due jobs until nothing is left to do; returns how many items it handled. */
  async function drain(): Promise<number> {
    let total = await runSweeps(true);
    for (;;) {
      const jobs = await claimDue();
      if (jobs.length === 0) break;
      for (const job of jobs) await runJob(job);
      total += jobs.length;
      total += await runSweeps(true);
    }
    return total;
  }

  /** Runs a claimed batch a few jobs at a time (jobs wait on I/O: mail, storage, database). */
  async function runBatch(jobs: TJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += concurrency)
      await Promise.all(jobs.slice(i, i + concurrency).map((job) => runJob(job)));
  }

  async function tick(): Promise<void> {
    let didWork = false;
    try {
      const jobs = await claimDue();
      await runBatch(jobs);
      didWork = jobs.length > 0;
    } catch (error) {
      logger.warn({ err: error }, 'job runner: could not poll the queue; retrying');
    }
    if (!isStopped)
      timer = setTimeout(
        () => void (running = tick()),
        didWork ? 0 : (options.pollIntervalMs ?? 500),
      );
  }

  /**
   * Sweeps run on their own clock, not between job batches: a backlog of e-mails after a
   * flash sale must never delay the expiry of holds (seats would stay held for nobody).
   */
  async function sweepTick(): Promise<void> {
    try {
      await runSweeps(false);
    } catch (error) {
      logger.warn({ err: error }, 'job runner: sweeps failed; retrying');
    }
    if (!isStopped) sweepTimer = setTimeout(() => void (sweeping = sweepTick()), SWEEP_TICK_MS);
  }

  return {
    drain,
    start() {
      if (!isStopped) return;
      isStopped = false;
      running = tick();
      sweeping = sweepTick();
    },
    /** Stops polling and waits for the batch and sweeps in hand to finish. */
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      if (sweepTimer) clearTimeout(sweepTimer);
      await Promise.all([running, sweeping]);
    },
  };
}

export type TJobRunner = ReturnType<typeof createJobRunner>;
