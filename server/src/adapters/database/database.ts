import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { TConfig } from '../../config.js';
import type { TDB } from './schema.js';

export type TDb = Kysely<TDB>;

/** The database port: a Kysely handle plus the few things Kysely cannot do alike on both drivers. */
export type TDatabase = {
  readonly kind: 'pglite' | 'postgres';
  readonly db: TDb;
  /** Runs a multi-statement SQL script (a migration) on the given connection or transaction. */
  executeScript(script: string, on: TDb): Promise<void>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

const INT8_OID = 20;
/** Counts and bigserial ids arrive as numbers on both drivers (ours stay far below 2^53). */
const parseInt8 = (value: string): number => Number(value);

export async function createDatabase(config: TConfig['database']): Promise<TDatabase> {
  return config.kind === 'postgres'
    ? createPostgresDatabase(config.url, config.poolSize)
    : createEmbeddedDatabase(config.dataDir);
}

/**
 * Two different waits, two limits. Opening a connection fails after `connectTimeoutMs`: PostgreSQL
 * unreachable is answered quickly (503, /readyz reports it). Waiting for a pooled connection while
 * every one is busy is a queue, not an outage: under a burst (a flash sale) requests wait their
 * turn for up to `poolWaitMs` rather than failing after the connect limit.
 */
export type TPoolTimeouts = { connectTimeoutMs: number; poolWaitMs: number };
const defaultPoolTimeouts: TPoolTimeouts = { connectTimeoutMs: 5_000, poolWaitMs: 30_000 };

export function createPostgresDatabase(
  url: string,
  poolSize = 10,
  timeouts: TPoolTimeouts = defaultPoolTimeouts,
): TDatabase {
  // pg-pool applies its `connectionTimeoutMillis` both to the queue and to opening a connection;
  // the client's own option (which the pool passes on) is set apart to bound the latter alone.
  class Client extends pg.Client {
    constructor(options?: pg.ClientConfig) {
      super({ ...options, connectionTimeoutMillis: timeouts.connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    Client,
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: Math.max(timeouts.poolWaitMs, timeouts.connectTimeoutMs),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === INT8_OID
          ? parseInt8
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (e.g. PostgreSQL restarting) must not crash the process;
  // the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  // Likewise a checked-out client whose connection drops between two queries of a transaction:
  // the query in flight fails (and the request answers 503); the event must not crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<TDB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async executeScript(script, on) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await sql.raw(script).execute(on);
    },
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** PGlite in `dataDir` (or in memory when null): PostgreSQL compiled to WebAssembly, nothing to install. */
export async function createEmbeddedDatabase(dataDir: string | null): Promise<TDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Loaded only when used, so deployments on PostgreSQL (Lambda bundles) carry no WebAssembly.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8_OID]: parseInt8 },
  });
  // The dialect hands out PGlite's single connection to one caller at a time, so transactions
  // from concurrent requests queue instead of interleaving.
  const db = new Kysely<TDB>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    async executeScript(script) {
      // PGlite has one session: the caller's open transaction is this session's transaction, and
      // exec() runs the script with the simple protocol inside it.
      await pglite.exec(script);
    },
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
