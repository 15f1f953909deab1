import type { Redis } from 'ioredis';
import type { TClock } from '../../lib/clock.js';
import type { TCache } from './cache.js';

/**
 * The sale gate: lets a sold-out ticket type answer `sold_out` without a database round trip.
 *
 * It is only ever a shortcut for refusals, never for sales: a hold is always taken by the
 * conditional UPDATE guarded by the `ticket_types_no_oversell` CHECK constraint. The gate
 * remembers "the database refused a request here, N seats were left" (`close`), and refuses
 * requests for more than N seats until either seats are released through the orders module
 * (`reopen`, which also bumps a version so a refusal observed before the release cannot close
 * the gate again afterwards) or the entry ages past `refreshMs`, when one request per interval is
 * let through to re-check the database (releases made elsewhere, e.g. a capacity edit, show up
 * within that interval). Any error — Redis down, a script failing — means "ask the database".
 *
 * Idempotency: a replayed Idempotency-Key must get its order back, not `sold_out`. Every key that
 * reaches the database is first added to a per-ticket-type set (by `admit`, as it lets the key
 * through); the gate only refuses a key it can prove absent from that set, which requires the set
 * to carry a sentinel written when it was seeded from the database (`close` / `seed`). If Redis
 * lost the set, the sentinel is gone and the gate stays open until it is seeded again.
 */
export type TSaleGate = {
  /**
   * 'sold_out' (with the seats left when last seen) when the gate may refuse. Otherwise
   * 'ask_database': the marker is recorded before the database attempt, and `version` is the
   * release version to hand to `close` (null when Redis could not be asked). One round trip.
   */
  admit(
    scope: TGateScope,
    quantity: number,
    marker: string | null,
  ): Promise<
    { verdict: 'sold_out'; available: number } | { verdict: 'ask_database'; version: number | null }
  >;
  /** After the database refused: closes the gate at `available` unless seats were released since `version`. Returns whether the marker set must be seeded. */
  close(scope: TGateScope, available: number, version: number | null): Promise<boolean>;
  /** Seeds the marker set from the database's keys and writes the sentinel. */
  seed(scope: TGateScope, markers: string[]): Promise<void>;
  /** After seats were released (cancel, expiry, refund): opens the gate. */
  reopen(ticketTypeId: string): Promise<void>;
  /** After a prepare failed and the order was written anyway: the marker set can no longer be trusted. */
  forgetMarkers(ticketTypeId: string): Promise<void>;
};

export type TGateScope = { eventId: string; ticketTypeId: string };

const SENTINEL = '#seeded';
/** How long a closed gate is trusted before one request re-checks the database. */
export const GATE_REFRESH_MS = 1_000;
/** A gate nobody asks about disappears after this. */
const GATE_TTL_MS = 30_000;
/** Marker sets outlive any realistic replay window of a flash sale. */
const MARKERS_TTL_MS = 86_400_000;

const keys = (ticketTypeId: string) => ({
  gate: `sg:${ticketTypeId}:gate`,
  version: `sg:${ticketTypeId}:v`,
  markers: `sg:${ticketTypeId}:k`,
  refresh: `sg:${ticketTypeId}:r`,
});

// KEYS: gate, markers, refresh, version. ARGV: eventId, quantity, marker ('' = none), refreshMs,
// markersTtlMs. Returns {1, seats left when the gate closed} to refuse, or {0, release version}
// after recording the marker, to ask the database.
const admitScript = `
local function ask()
  if ARGV[3] ~= '' then
    redis.call('SADD', KEYS[2], ARGV[3])
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
  end
  return {0, tonumber(redis.call('GET', KEYS[4]) or '0')}
end
local g = redis.call('HMGET', KEYS[1], 'e', 'a', 't')
if not g[1] or g[1] ~= ARGV[1] then return ask() end
local avail = tonumber(g[2])
if avail >= tonumber(ARGV[2]) then return ask() end
if ARGV[3] ~= '' then
  if redis.call('SISMEMBER', KEYS[2], '${SENTINEL}') == 0 then return ask() end
  if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then return ask() end
end
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if nowMs - tonumber(g[3]) > tonumber(ARGV[4]) then
  if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[4]) then return ask() end
end
return {1, avail}`;

// KEYS: gate, version, markers. ARGV: eventId, available, version, gateTtlMs.
// Returns 1 when the marker set lacks its sentinel (seed it), 0 otherwise, -1 when stale.
const closeScript = `
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[3]) then return -1 end
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'a', ARGV[2], 't', nowMs)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('SISMEMBER', KEYS[3], '${SENTINEL}') == 0 then return 1 end
return 0`;

// KEYS: gate, version.
const reopenScript = `
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ${MARKERS_TTL_MS})
redis.call('DEL', KEYS[1])
return 1`;

function createRedisSaleGate(redis: Redis): TSaleGate {
  // Sent as EVALSHA (ioredis loads a script on first use): a flash sale calls `admit` thousands of
  // times a second, and EVAL would send the whole script text each time.
  redis.defineCommand('saleGateAdmit', { numberOfKeys: 4, lua: admitScript });
  redis.defineCommand('saleGateClose', { numberOfKeys: 3, lua: closeScript });
  redis.defineCommand('saleGateReopen', { numberOfKeys: 2, lua: reopenScript });
  const scripts = redis as Redis &
    Record<
      'saleGateAdmit' | 'saleGateClose' | 'saleGateReopen',
      (...args: (string | number)[]) => Promise<unknown>
    >;
  const safely = async <T>(fallback: T, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  return {
    admit: (scope, quantity, marker) =>
      safely<Awaited<ReturnType<TSaleGate['admit']>>>(
        { verdict: 'ask_database', version: null },
        async () => {
          const k = keys(scope.ticketTypeId);
          const [refuse, value] = (await scripts.saleGateAdmit(
            k.gate,
            k.markers,
            k.refresh,
            k.version,
            scope.eventId,
            quantity,
            marker ?? '',
            GATE_REFRESH_MS,
            MARKERS_TTL_MS,
          )) as [number, number];
          return refuse === 1
            ? { verdict: 'sold_out' as const, available: Number(value) }
            : { verdict: 'ask_database' as const, version: Number(value) };
        },
      ),
    close: (scope, available, version) =>
      safely(false, async () => {
        if (version === null) return false;
        const k = keys(scope.ticketTypeId);
        const result = Number(
          await scripts.saleGateClose(
            k.gate,
            k.version,
            k.markers,
            scope.eventId,
            available,
            version,
            GATE_TTL_MS,
          ),
        );
        return result === 1;
      }),
    seed: (scope, markers) =>
      safely(undefined, async () => {
        const k = keys(scope.ticketTypeId);
        const pipeline = redis.multi();
        for (let i = 0; i < markers.length; i += 1000)
          pipeline.sadd(k.markers, ...markers.slice(i, i + 1000));
        pipeline.sadd(k.markers, SENTINEL).pexpire(k.markers, MARKERS_TTL_MS);
        await pipeline.exec();
      }),
    reopen: (ticketTypeId) =>
      safely(undefined, async () => {
        const k = keys(ticketTypeId);
        await scripts.saleGateReopen(k.gate, k.version);
      }),
    forgetMarkers: (ticketTypeId) =>
      safely(undefined, async () => {
        await redis.del(keys(ticketTypeId).markers);
      }),
  };
}

/** The same rules in process memory, for the single-process default (and tests without Redis). */
function createMemorySaleGate(clock: TClock): TSaleGate {
  const gates = new Map<string, { eventId: string; available: number; at: number }>();
  const versions = new Map<string, number>();
  const markers = new Map<string, Set<string>>();
  const refreshing = new Map<string, number>();
  return {
    admit(scope, quantity, marker) {
      const now = clock.now().getTime();
      const gate = gates.get(scope.ticketTypeId);
      const set = markers.get(scope.ticketTypeId);
      const ask = () => {
        if (marker !== null) {
          const recorded = set ?? new Set<string>();
          recorded.add(marker);
          markers.set(scope.ticketTypeId, recorded);
        }
        return Promise.resolve({
          verdict: 'ask_database' as const,
          version: versions.get(scope.ticketTypeId) ?? 0,
        });
      };
      if (!gate || gate.eventId !== scope.eventId || gate.available >= quantity) return ask();
      if (marker !== null && (!set?.has(SENTINEL) || set.has(marker))) return ask();
      if (now - gate.at > GATE_REFRESH_MS) {
        const until = refreshing.get(scope.ticketTypeId) ?? 0;
        if (until <= now) {
          refreshing.set(scope.ticketTypeId, now + GATE_REFRESH_MS);
          return ask();
        }
      }
      return Promise.resolve({ verdict: 'sold_out' as const, available: gate.available });
    },
    close(scope, available, version) {
      if (version === null || (versions.get(scope.ticketTypeId) ?? 0) !== version)
        return Promise.resolve(false);
      gates.set(scope.ticketTypeId, {
        eventId: scope.eventId,
        available,
        at: clock.now().getTime(),
      });
      return Promise.resolve(!markers.get(scope.ticketTypeId)?.has(SENTINEL));
    },
    seed(scope, seeded) {
      const set = markers.get(scope.ticketTypeId) ?? new Set<string>();
      for (const m of seeded) set.add(m);
      set.add(SENTINEL);
      markers.set(scope.ticketTypeId, set);
      return Promise.resolve();
    },
    reopen(ticketTypeId) {
      versions.set(ticketTypeId, (versions.get(ticketTypeId) ?? 0) + 1);
      gates.delete(ticketTypeId);
      return Promise.resolve();
    },
    forgetMarkers(ticketTypeId) {
      markers.delete(ticketTypeId);
      return Promise.resolve();
    },
  };
}

const memoryGates = new WeakMap<TCache, TSaleGate>();

/**
 * The gate on the configured cache: Redis when the cache is Redis (shared by every instance),
 * else in process memory — one gate per cache object, so app instances sharing an in-process
 * cache (tests) share the gate too.
 */
export function createSaleGate(cache: TCache, clock: TClock): TSaleGate {
  const redis = (cache as TCache & { redis?: Redis }).redis;
  if (cache.kind === 'redis' && redis) return createRedisSaleGate(redis);
  const existing = memoryGates.get(cache);
  if (existing) return existing;
  const created = createMemorySaleGate(clock);
  memoryGates.set(cache, created);
  return created;
}
