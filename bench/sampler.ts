/**
 * The invariant sampler, in a process of its own so the load generator's busy event loop cannot
 * delay it: reads a ticket type's counters every SAMPLE_MS and prints one JSON line per event
 * (`full` when no seat is left, `settled` when sold == capacity and held == 0) and a summary on
 * SIGTERM. Timestamps are Date.now() so the parent can line them up with its own.
 */
import os from 'node:os';
import pg from 'pg';

const [url = '', ticketTypeId = '', everyMs = '25'] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
// The instrument must not be starved by what it measures: on a saturated machine the sampler and
// its PostgreSQL backend run at a higher priority when allowed (root), so samples stay on time.
const backendPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
  ?.pid;
let isPrioritised = true;
for (const pid of [0, backendPid ?? -1])
  try {
    os.setPriority(pid, -10);
  } catch {
    isPrioritised = false;
  }
const state = {
  samples: 0,
  oversell: 0,
  maxGapMs: 0,
  last: null as { capacity: number; sold: number; held: number } | null,
  firstFullAt: null as number | null,
  settledAt: null as number | null,
};
let isStopped = false;
process.once('SIGTERM', () => (isStopped = true));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
emit({ type: 'ready', isPrioritised });
let previous = Date.now();
while (!isStopped) {
  const { rows } = await client.query<{ capacity: number; sold: number; held: number }>(
    'SELECT capacity, sold, held FROM ticket_types WHERE id = $1',
    [ticketTypeId],
  );
  const now = Date.now();
  const row = rows[0];
  if (row) {
    state.samples += 1;
    state.last = row;
    if (row.sold + row.held > row.capacity) {
      state.oversell += 1;
      emit({ type: 'oversell', at: now, row });
    }
    if (state.firstFullAt === null && row.sold + row.held === row.capacity) {
      state.firstFullAt = now;
      emit({ type: 'full', at: now });
    }
    if (state.settledAt === null && row.sold === row.capacity && row.held === 0) {
      state.settledAt = now;
      emit({ type: 'settled', at: now });
    }
  }
  state.maxGapMs = Math.max(state.maxGapMs, now - previous);
  previous = now;
  await new Promise((r) => setTimeout(r, Math.max(0, Number(everyMs) - (Date.now() - now))));
}
emit({ type: 'summary', ...state });
await client.end();
