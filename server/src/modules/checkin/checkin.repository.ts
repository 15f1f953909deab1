import { sql, type Insertable } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TCheckInResult, TCheckInsTable } from '../../adapters/database/schema.js';

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
     * THE admission: one conditional UPDATE. Two gates scanning the same ticket at the same
     * instant both run it; the second waits for the first's row lock, re-evaluates
     * `checked_in_at IS NULL` on the committed row, matches nothing, and is told it was a
     * duplicate. A ticket is therefore admitted exactly once.
     */
    admit: (
      db: TDb,
      input: {
        ticketId: string;
        eventId: string;
        at: Date;
        gate: string | null;
        deviceId: string | null;
      },
    ) =>
      db
        .updateTable('tickets')
        .set({
          checked_in_at: input.at,
          checked_in_gate: input.gate,
          checked_in_device: input.deviceId,
        })
        .where('id', '=', input.ticketId)
        .where('event_id', '=', input.eventId)
        .where('status', '=', 'valid')
        .where('checked_in_at', 'is', null)
        .returning(['id', 'ticket_type_id', 'attendee_name', 'checked_in_at'])
        .executeTakeFirst(),

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
