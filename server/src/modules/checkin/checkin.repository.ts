import { sql, type Insertable } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type {
  TCheckInResult,
  TCheckInsTable,
  TMemberRole,
} from '../../adapters/database/schema.js';

/** What `scan` answers: who may scan, and — when they may — the scan's result and ticket. */
export type TScanRow = {
  is_event_found: boolean;
  /** The caller's role in the event's organizer; null for non-members (and admins who are not). */
  role: TMemberRole | null;
  /** Null when nothing was admitted or logged because the caller is not authorized. */
  result: Exclude<TCheckInResult, 'undone'> | null;
  ticket_id: string | null;
  ticket_type_id: string | null;
  attendee_name: string | null;
  checked_in_at: Date | null;
  checked_in_gate: string | null;
  checked_in_device: string | null;
};

/** One scan as `checkin_scan` takes it (see `scan`). */
export type TScanInput = {
  eventId: string;
  userId: string;
  isAdmin: boolean;
  /** The organizer roles that may scan. */
  permittedRoles: readonly TMemberRole[];
  ticketId: string | null;
  /** The scanned code: the ticket is admitted only if it was issued exactly this code. */
  code: string | null;
  /** The result decided before the database, for codes that fail verification. */
  presetResult: 'invalid' | 'wrong_event' | null;
  at: Date;
  gate: string | null;
  deviceId: string | null;
  source: 'online' | 'offline';
  codeFingerprint: string;
  dedupeKey: string | null;
};

export function createCheckinRepository() {
  return {
    findKey: (db: TDb, keyId: string) =>
      db
        .selectFrom('event_keys')
        .select(['id', 'event_id', 'public_key'])
        .where('id', '=', keyId)
        .executeTakeFirst(),

    listKeys: (db: TDb, eventId: string) =>
      db
        .selectFrom('event_keys')
        .select(['id', 'public_key'])
        .where('event_id', '=', eventId)
        .orderBy('created_at')
        .execute(),

    /**
     * Scans in one round trip: `checkin_scan` (migrations 20261125120000_checkin_speed and
     * 20261206090000_checkin_issued_code), called once per scan in the order given, authorizes
     * each scan's caller, admits its ticket — only for the very code it was issued — with one
     * conditional UPDATE (exactly once, however many gates scan it at the same instant; a later
     * scan in the same call sees an earlier one's admission) or finds out why not, and logs the
     * scan — in one statement, so the admissions and their log rows commit together or not at
     * all, without an explicit transaction. Roles are read in the call itself, never cached.
     * Nothing is admitted or logged for a caller who is not authorized; the row then tells why.
     * A `dedupeKey` logged before makes the call fail with a unique violation on
     * `check_ins_dedupe_key`. Answers one row per scan, in order.
     */
    scan: async (db: TDb, scans: TScanInput[]) => {
      const input = scans.map((s, i) => ({
        i,
        event_id: s.eventId,
        user_id: s.userId,
        is_admin: s.isAdmin,
        roles: s.permittedRoles,
        ticket_id: s.ticketId,
        code: s.code,
        preset_result: s.presetResult,
        at: s.at,
        gate: s.gate,
        device_id: s.deviceId,
        source: s.source,
        code_fingerprint: s.codeFingerprint,
        dedupe_key: s.dedupeKey,
      }));
      const { rows } = await sql<TScanRow>`
        SELECT r.* FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS s(
            i int, event_id uuid, user_id uuid, is_admin boolean, roles text[], ticket_id uuid,
            code text, preset_result text, at timestamptz, gate text, device_id text, source text,
            code_fingerprint text, dedupe_key text),
          LATERAL checkin_scan(s.event_id, s.user_id, s.is_admin, s.roles, s.ticket_id, s.code,
            s.preset_result, s.at, s.gate, s.device_id, s.source, s.code_fingerprint,
            s.dedupe_key) AS r
        ORDER BY s.i
      `.execute(db);
      // The function always returns exactly one row per call.
      if (rows.length !== scans.length)
        throw new Error('checkin_scan answered for some scans only');
      return rows;
    },

    findTicket: (db: TDb, ticketId: string) =>
      db
        .selectFrom('tickets')
        .select([
          'id',
          'event_id',
          'ticket_type_id',
          'status',
          'attendee_name',
          'checked_in_at',
          'checked_in_gate',
          'checked_in_device',
        ])
        .where('id', '=', ticketId)
        .executeTakeFirst(),

    undo: (db: TDb, ticketId: string, eventId: string) =>
      db
        .updateTable('tickets')
        .set({ checked_in_at: null, checked_in_gate: null, checked_in_device: null })
        .where('id', '=', ticketId)
        .where('event_id', '=', eventId)
        .where('checked_in_at', 'is not', null)
        .returning(['id', 'ticket_type_id', 'attendee_name', 'checked_in_at'])
        .executeTakeFirst(),

    /** Logs a scan; returns undefined when a scan with the same dedupe key was logged before. */
    log: (db: TDb, row: Insertable<TCheckInsTable>) =>
      db
        .insertInto('check_ins')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['event_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
        )
        .returning('id')
        .executeTakeFirst(),

    findLogged: (db: TDb, eventId: string, dedupeKey: string) =>
      db
        .selectFrom('check_ins')
        .selectAll()
        .where('event_id', '=', eventId)
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirst(),

    ticketTypeNames: (db: TDb, eventId: string) =>
      db
        .selectFrom('ticket_types')
        .select(['id', 'name'])
        .where('event_id', '=', eventId)
        .orderBy('sort_order')
        .orderBy('created_at')
        .execute(),

    revokedSince: (db: TDb, eventId: string, since: number) =>
      db
        .selectFrom('tickets')
        .select('id')
        .where('event_id', '=', eventId)
        .where('void_version', '>', since)
        .orderBy('void_version')
        .execute(),

    revocationVersion: async (db: TDb, eventId: string) =>
      (
        await db
          .selectFrom('events')
          .select('revocation_version')
          .where('id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).revocation_version,

    statsByType: (db: TDb, eventId: string) =>
      db
        .selectFrom('ticket_types')
        .leftJoin('tickets', (join) =>
          join
            .onRef('tickets.ticket_type_id', '=', 'ticket_types.id')
            .on('tickets.status', '=', 'valid'),
        )
        .select([
          'ticket_types.id',
          'ticket_types.name',
          sql<number>`count(tickets.id)::int`.as('total'),
          sql<number>`count(tickets.checked_in_at)::int`.as('admitted'),
        ])
        .where('ticket_types.event_id', '=', eventId)
        .groupBy(['ticket_types.id', 'ticket_types.name', 'ticket_types.sort_order'])
        .orderBy('ticket_types.sort_order')
        .execute(),

    statsByGate: (db: TDb, eventId: string) =>
      db
        .selectFrom('tickets')
        .select(['checked_in_gate', sql<number>`count(*)::int`.as('admitted')])
        .where('event_id', '=', eventId)
        .where('status', '=', 'valid')
        .where('checked_in_at', 'is not', null)
        .groupBy('checked_in_gate')
        .orderBy('checked_in_gate')
        .execute(),

    statsPerMinute: (db: TDb, eventId: string) =>
      db
        .selectFrom('tickets')
        .select([
          sql<Date>`date_trunc('minute', checked_in_at)`.as('minute'),
          sql<number>`count(*)::int`.as('admitted'),
        ])
        .where('event_id', '=', eventId)
        .where('status', '=', 'valid')
        .where('checked_in_at', 'is not', null)
        .groupBy(sql`date_trunc('minute', checked_in_at)`)
        .orderBy('minute')
        .execute(),

    scanCounts: (db: TDb, eventId: string) =>
      db
        .selectFrom('check_ins')
        .select(['result', sql<number>`count(*)::int`.as('n')])
        .where('event_id', '=', eventId)
        .groupBy('result')
        .execute() as Promise<{ result: TCheckInResult; n: number }[]>,
  };
}

export type TCheckinRepository = ReturnType<typeof createCheckinRepository>;
