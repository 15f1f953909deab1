import path from 'node:path';
import type pg from 'pg';
import { request, type TResponse } from './http.js';
import { repoRoot, startTs, stop } from './processes.js';
import { round, summarise } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type TCounters = { capacity: number; sold: number; held: number };

/**
 * The invariant sampler runs as its own process (bench/sampler.ts): the load generator's event
 * loop is busy with a thousand buyers and would delay samples. It reports `full` / `settled`
 * events as they happen and a summary (samples, oversell count, largest gap) when stopped.
 */
async function startSampler(dbUrl: string, ticketTypeId: string, everyMs: number) {
  const state = {
    samples: 0,
    oversell: 0,
    maxGapMs: 0,
    maxGapAt: 0,
    last: null as TCounters | null,
    firstFullAt: null as number | null,
    settledAt: null as number | null,
  };
  const child = await startTs(
    path.join(repoRoot, 'bench/sampler.ts'),
    [dbUrl, ticketTypeId, String(everyMs)],
    {},
    { readyPattern: /"ready"/ },
  );
  let buffer = '';
  const summary = new Promise<void>((resolve) => {
    child.proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown> & { type: string };
        buffer = buffer.slice(nl + 1);
        if (line.type === 'full') state.firstFullAt = Number(line['at']);
        if (line.type === 'settled') state.settledAt = Number(line['at']);
        if (line.type === 'summary') {
          Object.assign(state, line);
          resolve();
        }
      }
    });
  });
  return {
    state,
    stop: async () => {
      child.proc.kill('SIGTERM');
      await summary;
      await stop(child);
    },
  };
}

export type TFlashSaleOptions = {
  dbUrl: string;
  /** Makes keys unique per run: the same buyers take part in every run. */
  keyPrefix: string;
  baseUrls: string[];
  buyers: { tokens: string[] }[];
  eventId: string;
  ticketTypeId: string;
  capacity: number;
  payShare: number;
  replayShare: number;
  timeoutMs: number;
};

/**
 * The flash sale: every buyer loops — order 1–4 seats with a fresh Idempotency-Key; on a hold,
 * pay (70 %) or walk away (30 %, the hold lapses); on sold_out, try again at once (a buyer
 * refreshing). It ends when the sampler sees every seat sold and nothing held.
 */
export async function runFlashSale(sampleClient: pg.Client, o: TFlashSaleOptions) {
  const sampler = await startSampler(o.dbUrl, o.ticketTypeId, 25);
  const holds: { at: number; ms: number }[] = [];
  const soldOuts: { at: number; ms: number }[] = [];
  const pays: number[] = [];
  const unexpected: Record<string, number> = {};
  let errors5xx = 0;
  let networkErrors = 0;
  let replays = 0;
  let replayMismatches = 0;
  let paidSeats = 0;
  let lateSeats = 0;
  const note = (res: TResponse, what: string) => {
    if (res.status >= 500) errors5xx += 1;
    const code = (res.body as { error?: string } | null)?.error ?? '';
    const key = `${what} ${res.status} ${code}`;
    unexpected[key] = (unexpected[key] ?? 0) + 1;
  };
  const started = Date.now();
  const isOver = () => sampler.state.settledAt !== null || Date.now() - started > o.timeoutMs;

  await Promise.all(
    o.buyers.map(async (buyer, i) => {
      const token = buyer.tokens[0] ?? '';
      const base = o.baseUrls[i % o.baseUrls.length] ?? '';
      let attempt = 0;
      // Spread the start over 100 ms, like a crowd hitting "buy" when the sale opens.
      await sleep(Math.random() * 100);
      while (!isOver()) {
        const quantity = 1 + Math.floor(Math.random() * 4);
        const key = `${o.keyPrefix}-b${i}-${attempt++}`;
        const body = { eventId: o.eventId, items: [{ ticketTypeId: o.ticketTypeId, quantity }] };
        let res: TResponse;
        try {
          res = await request(base, 'POST', '/api/v1/orders', {
            token,
            body,
            headers: { 'idempotency-key': key },
          });
        } catch {
          networkErrors += 1;
          await sleep(20);
          continue;
        }
        const at = Date.now();
        if (res.status === 201) {
          holds.push({ at, ms: res.ms });
          const orderId = String((res.body as { id: string }).id);
          if (Math.random() < o.replayShare) {
            replays += 1;
            const again = await request(base, 'POST', '/api/v1/orders', {
              token,
              body,
              headers: { 'idempotency-key': key },
            });
            // A replay answered with another order is a duplicate; an error is counted as such.
            if (again.status === 200 || again.status === 201) {
              if ((again.body as { id?: string }).id !== orderId) replayMismatches += 1;
            } else note(again, 'replay');
          }
          if (Math.random() < o.payShare) {
            const paid = await request(base, 'POST', `/api/v1/orders/${orderId}/pay`, {
              token,
              body: { provider: 'test', paymentToken: 'test_ok' },
            });
            pays.push(paid.ms);
            if (paid.status === 200) paidSeats += quantity;
            else if ((paid.body as { error?: string }).error === 'order_expired')
              lateSeats += quantity;
            else note(paid, 'pay');
          }
        } else if (res.status === 409 && (res.body as { error?: string }).error === 'sold_out') {
          soldOuts.push({ at, ms: res.ms });
          // A buyer refreshing: a moment's pause, then try again.
          await sleep(Math.random() * 50);
        } else {
          note(res, 'order');
          await sleep(20);
        }
      }
    }),
  );
  const ended = Date.now();
  await sleep(100);
  await sampler.stop();
  const s = sampler.state;
  const fullAt = s.firstFullAt ?? ended;
  const contendedS = (fullAt - started) / 1000;
  const afterS = Math.max(0.001, (ended - fullAt) / 1000);
  const contendedHolds = holds.filter((h) => h.at <= fullAt);
  const afterSoldOuts = soldOuts.filter((x) => x.at > fullAt);
  const { rows: dupRows } = await sampleClient.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT user_id, idempotency_key FROM orders
       WHERE idempotency_key IS NOT NULL AND event_id = $1
       GROUP BY user_id, idempotency_key HAVING count(*) > 1) d`,
    [o.eventId],
  );
  const { rows: seatRows } = await sampleClient.query<{ status: string; seats: number }>(
    `SELECT o.status, COALESCE(SUM(i.quantity), 0)::int AS seats FROM order_items i
       JOIN orders o ON o.id = i.order_id WHERE i.ticket_type_id = $1 GROUP BY o.status`,
    [o.ticketTypeId],
  );
  const seatsBy = Object.fromEntries(seatRows.map((r) => [r.status, r.seats]));
  const last = s.last ?? { capacity: o.capacity, sold: 0, held: 0 };
  const holdLatency = summarise(contendedHolds.map((h) => h.ms));
  const soldOutLatency = summarise(afterSoldOuts.map((x) => x.ms));
  return {
    instances: o.baseUrls.length,
    buyers: o.buyers.length,
    capacity: o.capacity,
    holds: holds.length,
    contendedPhaseS: round(contendedS, 2),
    holdsPerSec: round(contendedHolds.length / Math.max(0.001, contendedS)),
    holdP50Ms: holdLatency.p50Ms,
    holdP99Ms: holdLatency.p99Ms,
    soldOutResponses: soldOuts.length,
    /** sold_out answers before the sampler first saw every seat taken (the gate closed early, or a request for more seats than were left). */
    soldOutWhileSeatsLeft: soldOuts.length - afterSoldOuts.length,
    soldOutPhaseS: round(afterS, 2),
    soldOutPerSec: round(afterSoldOuts.length / afterS),
    soldOutP50Ms: soldOutLatency.p50Ms,
    soldOutP99Ms: soldOutLatency.p99Ms,
    payP50Ms: summarise(pays).p50Ms,
    payP99Ms: summarise(pays).p99Ms,
    paidSeatsByBuyers: paidSeats,
    seatsPaidTooLate: lateSeats,
    settleS: round((ended - started) / 1000, 2),
    isSettled: s.settledAt !== null,
    samples: s.samples,
    maxSampleGapMs: round(s.maxGapMs),
    /** When the largest gap began, for lining it up with PostgreSQL's log. */
    maxSampleGapAt: s.maxGapAt ? new Date(s.maxGapAt).toISOString() : null,
    oversell: s.oversell,
    undersell: last.capacity - last.sold,
    finalCounters: last,
    countersMatchOrders:
      (seatsBy['paid'] ?? 0) === last.sold && (seatsBy['pending'] ?? 0) === last.held,
    duplicateOrders: Number(dupRows[0]?.n ?? 0) + replayMismatches,
    replays,
    errors5xx,
    networkErrors,
    unexpected,
  };
}

/**
 * Check-in at the door: `scanners` gates work through a shuffled list holding every ticket once
 * plus `duplicates` repeats (friends sharing a screenshot), concurrently.
 */
export async function runCheckIn(
  client: pg.Client,
  o: {
    baseUrls: string[];
    eventId: string;
    staffTokens: string[];
    scanners: number;
    duplicates: number;
  },
) {
  const { rows: tickets } = await client.query<{ code: string }>(
    `SELECT code FROM tickets WHERE event_id = $1 AND status = 'valid'`,
    [o.eventId],
  );
  const codes = tickets.map((t) => t.code);
  const scans = [...codes];
  for (let i = 0; i < o.duplicates; i++)
    scans.push(codes[Math.floor(Math.random() * codes.length)] ?? '');
  for (let i = scans.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [scans[i], scans[j]] = [scans[j] ?? '', scans[i] ?? ''];
  }
  const latencies: number[] = [];
  const results: Record<string, number> = {};
  let errors5xx = 0;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: o.scanners }, async (_, gate) => {
      const base = o.baseUrls[gate % o.baseUrls.length] ?? '';
      const token = o.staffTokens[gate % o.staffTokens.length] ?? '';
      while (next < scans.length) {
        const code = scans[next++] ?? '';
        const res = await request(base, 'POST', `/api/v1/events/${o.eventId}/check-ins`, {
          token,
          body: { code, gate: `gate-${gate + 1}`, deviceId: `scanner-${gate + 1}` },
        });
        latencies.push(res.ms);
        if (res.status >= 500) errors5xx += 1;
        const result = (res.body as { result?: string; error?: string }).result ?? 'error';
        results[`${res.status} ${result}`] = (results[`${res.status} ${result}`] ?? 0) + 1;
      }
    }),
  );
  const elapsedS = (Date.now() - started) / 1000;
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tickets WHERE event_id = $1 AND checked_in_at IS NOT NULL`,
    [o.eventId],
  );
  const latency = summarise(latencies);
  return {
    tickets: codes.length,
    scans: scans.length,
    checkinPerSec: round(scans.length / elapsedS),
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    results,
    admitted: rows[0]?.n ?? 0,
    admittedOk: results['200 ok'] ?? 0,
    errors5xx,
  };
}
