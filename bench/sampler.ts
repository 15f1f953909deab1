/**
 * The invariant sampler, in a process of its own so the load generator's busy event loop cannot
 * delay it: reads a ticket type's counters every SAMPLE_MS and prints one JSON line per event
 * (`full` when no seat is left, `settled` when sold == capacity and held == 0) and a summary on
 * SIGTERM. Timestamps are Date.now() so the parent can line them up with its own.
 *
 * Two connections sample in turn, half a period apart, so one read that the saturated machine
 * delays does not leave a hole in the record. A sample's time is when PostgreSQL took its
 * snapshot (`statement_timestamp()`, the same system clock), and the largest gap between the
 * snapshots of consecutive samples is reported.
 */
import os from 'node:os';
import pg from 'pg';

const [url = '', ticketTypeId = '', everyMs = '25'] = process.argv.slice(2);
const periodMs = Number(everyMs);
const clients = [
  new pg.Client({ connectionString: url }),
  new pg.Client({ connectionString: url }),
];
// The instrument must not be starved by what it measures: on a saturated machine the sampler and
// its PostgreSQL backends run at a higher priority when allowed (root), so samples stay on time.
let isPrioritised = true;
const prioritise = (pid: number) => {
  try {
    os.setPriority(pid, -10);
  } catch {
    isPrioritised = false;
  }
};
prioritise(0);
for (const client of clients) {
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  prioritise(rows[0]?.pid ?? -1);
}
type TRow = { capacity: number; sold: number; held: number; at: Date };
const state = {
  samples: 0,
  oversell: 0,
  maxGapMs: 0,
  /** When the largest gap began (epoch ms), to line it up with the database's log. */
  maxGapAt: 0,
  last: null as { capacity: number; sold: number; held: number } | null,
  firstFullAt: null as number | null,
  settledAt: null as number | null,
};
const snapshotTimes: number[] = [];
let lastAt = 0;
let isStopped = false;
process.once('SIGTERM', () => (isStopped = true));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

function record(row: TRow) {
  const now = Date.now();
  const { at, ...counters } = row;
  state.samples += 1;
  snapshotTimes.push(at.getTime());
  // The connections answer in turn; the latest snapshot is the state to report.
  if (at.getTime() >= lastAt) {
    lastAt = at.getTime();
    state.last = counters;
  }
  if (row.sold + row.held > row.capacity) {
    state.oversell += 1;
    emit({ type: 'oversell', at: now, row: counters });
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

async function sampleWith(client: pg.Client, offsetMs: number) {
  await new Promise((r) => setTimeout(r, offsetMs));
  while (!isStopped) {
    const started = Date.now();
    const { rows } = await client.query<TRow>(
      'SELECT capacity, sold, held, statement_timestamp() AS at FROM ticket_types WHERE id = $1',
      [ticketTypeId],
    );
    if (rows[0]) record(rows[0]);
    await new Promise((r) => setTimeout(r, Math.max(0, periodMs - (Date.now() - started))));
  }
}

emit({ type: 'ready', isPrioritised });
await Promise.all(clients.map((client, i) => sampleWith(client, (i * periodMs) / clients.length)));
snapshotTimes.sort((a, b) => a - b);
for (let i = 1; i < snapshotTimes.length; i++) {
  const gap = (snapshotTimes[i] ?? 0) - (snapshotTimes[i - 1] ?? 0);
  if (gap > state.maxGapMs) {
    state.maxGapMs = gap;
    state.maxGapAt = snapshotTimes[i - 1] ?? 0;
  }
}
emit({ type: 'summary', ...state });
await Promise.all(clients.map((client) => client.end()));
