import type { KeyObject } from 'node:crypto';
import type { TDb } from '../../adapters/database/database.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { createBatcher } from '../../lib/batcher.js';
import { sha256Hex } from '../../lib/hashing.js';
import type { TActor, TSignedInActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import type { TEventsRepository } from '../events/events.repository.js';
import { requirePermission, rolePermissions } from '../organizers/organizer-access.js';
import {
  importRawPublicKey,
  readTicketCode,
  verifyTicketCode,
  type TTicketClaims,
} from '../tickets/ticket-code.js';
import type { TCheckinRepository, TScanInput, TScanRow } from './checkin.repository.js';
import type { TCheckInRequest, TCheckInResult, TSyncScan } from './checkin.schema.js';

/** Device clocks drift; an offline scan claiming a time further ahead than this is taken as "now". */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const messages: Record<TCheckInResult['result'], string> = {
  ok: 'Admitted.',
  already_checked_in: 'Already checked in.',
  invalid: 'Not a valid ticket.',
  void: 'This ticket was cancelled.',
  wrong_event: 'This ticket is for another event.',
};

/** HTTP status of each online check-in result, as SPEC §4 lists them. */
export const checkInStatus: Record<TCheckInResult['result'], 200 | 409 | 422> = {
  ok: 200,
  already_checked_in: 409,
  invalid: 422,
  void: 422,
  wrong_event: 422,
};

type TScan = {
  eventId: string;
  code: string;
  at: Date;
  gate: string | null;
  deviceId: string | null;
  source: 'online' | 'offline';
  dedupeKey: string | null;
};

type TOutcome = TCheckInResult & { ticketId: string | null };

/** The organizer roles that may scan, checked by the scan statement itself. */
const scanningRoles = (Object.keys(rolePermissions) as (keyof typeof rolePermissions)[]).filter(
  (role) => rolePermissions[role].has('checkin:scan'),
);

/** A scan whose dedupe key was logged meanwhile (a concurrent re-send of the same sync batch). */
function isDedupeConflict(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === '23505' &&
    'constraint' in error &&
    error.constraint === 'check_ins_dedupe_key'
  );
}

export type TCheckinServiceDeps = {
  db: TDb;
  repo: TCheckinRepository;
  events: TEventsRepository;
  audit: TAuditRepository;
  clock: TClock;
};

/** A sync scan that a concurrent re-send of the same batch logged first; nothing of it was applied. */
class AlreadyLoggedError extends Error {}

export function createCheckinService(deps: TCheckinServiceDeps) {
  const { db, repo, events, audit, clock } = deps;
  // Scans arriving while one statement is in flight go together in the next: one round trip and
  // one commit for the gates scanning at that moment (a failed batch is retried scan by scan).
  const scans = createBatcher((batch: TScanInput[]) => repo.scan(db, batch));
  // Public keys never change once created, so every instance can keep them.
  const keyCache = new Map<string, { eventId: string; key: KeyObject }>();
  // Ticket type names only label results; a few seconds of staleness after a rename is harmless
  // and saves a query on every scan at the door.
  const namesCache = new Map<string, { names: Map<string, string>; loadedAt: number }>();

  async function ticketTypeNames(eventId: string): Promise<Map<string, string>> {
    const cached = namesCache.get(eventId);
    if (cached && clock.now().getTime() - cached.loadedAt < 10_000) return cached.names;
    const names = new Map((await repo.ticketTypeNames(db, eventId)).map((t) => [t.id, t.name]));
    if (namesCache.size > 1000) namesCache.clear();
    namesCache.set(eventId, { names, loadedAt: clock.now().getTime() });
    return names;
  }

  async function publicKey(keyId: string) {
    const cached = keyCache.get(keyId);
    if (cached) return cached;
    const row = await repo.findKey(db, keyId);
    if (!row) return null;
    const entry = { eventId: row.event_id, key: importRawPublicKey(row.public_key) };
    keyCache.set(keyId, entry);
    return entry;
  }

  /**
   * Which ticket a code names, or why it is refused without asking the tickets table. A code for
   * this event is not signature-checked here: the scan admits a ticket only for the very code it
   * was issued (`checkin_scan` compares them), and that code carries our signature. Codes for
   * other events are verified, so that a forgery is called invalid rather than another event's.
   */
  async function verify(
    code: string,
    eventId: string,
  ): Promise<{ claims: TTicketClaims } | { result: 'invalid' | 'wrong_event' }> {
    const read = readTicketCode(code);
    if (!read) return { result: 'invalid' };
    if (read.claims.eventId !== eventId) {
      const key = await publicKey(read.keyId);
      const claims = key ? verifyTicketCode(code, key.key) : null;
      if (!key || !claims || claims.eventId !== key.eventId) return { result: 'invalid' };
      return { result: 'wrong_event' };
    }
    if (read.claims.validUntil.getTime() < clock.now().getTime()) return { result: 'invalid' };
    return { claims: read.claims };
  }

  async function loadEvent(
    actor: TActor,
    eventId: string,
    permission: 'checkin:scan' | 'checkin:undo',
  ) {
    const event = await events.findById(db, eventId);
    if (!event) throw new AppError('not_found', { resource: 'event' });
    const access = await requirePermission(db, actor, event.organizer_id, permission, 'event');
    return { event, access };
  }

  /**
   * Verifies, admits (or explains why not) and logs one scan, authorizing `actor` for it: the
   * code is read here, everything else is one database statement (see `repo.scan`), shared with
   * the scans of other gates at the same moment.
   */
  async function applyScan(actor: TSignedInActor, scan: TScan): Promise<TOutcome> {
    const verified = await verify(scan.code, scan.eventId);
    let row: TScanRow;
    try {
      row = await scans.call({
        eventId: scan.eventId,
        userId: actor.userId,
        isAdmin: actor.isAdmin,
        permittedRoles: scanningRoles,
        ticketId: 'claims' in verified ? verified.claims.ticketId : null,
        code: 'claims' in verified ? scan.code : null,
        presetResult: 'result' in verified ? verified.result : null,
        at: scan.at,
        gate: scan.gate,
        deviceId: scan.deviceId,
        source: scan.source,
        codeFingerprint: sha256Hex(scan.code).slice(0, 16),
        dedupeKey: scan.dedupeKey,
      });
    } catch (error) {
      if (scan.dedupeKey !== null && isDedupeConflict(error)) throw new AlreadyLoggedError();
      throw error;
    }
    // The same answers, in the same order, as `requirePermission` gives.
    if (!row.is_event_found) throw new AppError('not_found', { resource: 'event' });
    if (!actor.isAdmin && !row.role) throw new AppError('not_found', { resource: 'event' });
    const { result } = row;
    if (!result) throw new AppError('forbidden', { permission: 'checkin:scan' });
    const outcome: TOutcome = { result, message: messages[result], ticketId: null };
    if (row.ticket_id && row.ticket_type_id && result !== 'invalid' && result !== 'wrong_event') {
      const names = await ticketTypeNames(scan.eventId);
      outcome.ticketId = row.ticket_id;
      outcome.ticket = {
        id: row.ticket_id,
        ticketTypeId: row.ticket_type_id,
        ticketTypeName: names.get(row.ticket_type_id) ?? '',
        attendeeName: row.attendee_name ?? '',
        checkedInAt: row.checked_in_at?.toISOString() ?? null,
      };
      if (result === 'already_checked_in' && row.checked_in_at) {
        outcome.checkedInAt = row.checked_in_at.toISOString();
        outcome.gate = row.checked_in_gate;
        outcome.deviceId = row.checked_in_device;
      }
    }
    return outcome;
  }

  return {
    /** Online check-in at a gate: verify the signed code, admit in one atomic step, log the scan. */
    async checkIn(actor: TActor, eventId: string, input: TCheckInRequest): Promise<TCheckInResult> {
      // Authorization happens inside the scan's one statement; only signed-out callers stop here.
      const { ticketId: _ticketId, ...result } = await applyScan(requireUser(actor), {
        eventId,
        code: input.code.trim(),
        at: clock.now(),
        gate: input.gate ?? null,
        deviceId: input.deviceId ?? null,
        source: 'online',
        dedupeKey: null,
      });
      return result;
    },

    /**
     * Uploads scans an offline device made. They are applied in the order they happened; the
     * first admission of a ticket wins and every later one — from this device or another — is
     * reported as a duplicate. Re-sending a batch repeats the original results without applying
     * anything twice.
     */
    async sync(actor: TActor, eventId: string, scans: TSyncScan[]) {
      const { access } = await loadEvent(actor, eventId, 'checkin:scan');
      const now = clock.now();
      const names = await ticketTypeNames(eventId);
      const ordered = scans
        .map((scan, index) => ({ scan, index }))
        .sort(
          (a, b) => a.scan.scannedAt.getTime() - b.scan.scannedAt.getTime() || a.index - b.index,
        );
      const results = [];
      for (const { scan, index } of ordered) {
        const code = scan.code.trim();
        const dedupeKey = scan.scanId
          ? `${scan.deviceId}:${scan.scanId}`
          : sha256Hex(`${scan.deviceId}|${code}|${scan.scannedAt.toISOString()}`);
        const at =
          scan.scannedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ? now : scan.scannedAt;
        let outcome: TCheckInResult;
        let isReplay = false;
        const previous = await repo.findLogged(db, eventId, dedupeKey);
        if (previous) {
          isReplay = true;
          outcome = await replayed(
            previous.result === 'undone' ? 'ok' : previous.result,
            previous.ticket_id,
            names,
          );
        } else {
          try {
            const { ticketId: _ticketId, ...applied } = await applyScan(access.actor, {
              eventId,
              code,
              at,
              gate: scan.gate ?? null,
              deviceId: scan.deviceId,
              source: 'offline',
              dedupeKey,
            });
            outcome = applied;
          } catch (error) {
            if (!(error instanceof AlreadyLoggedError)) throw error;
            const logged = await repo.findLogged(db, eventId, dedupeKey);
            isReplay = true;
            outcome = await replayed(
              logged?.result === 'undone' || !logged ? 'ok' : logged.result,
              logged?.ticket_id ?? null,
              names,
            );
          }
        }
        results.push({
          ...outcome,
          index,
          scanId: scan.scanId ?? null,
          isReplay,
          isDuplicateAcrossDevices:
            outcome.result === 'already_checked_in' && (outcome.deviceId ?? null) !== scan.deviceId,
        });
      }
      return { results: results.sort((a, b) => a.index - b.index) };
    },

    /**
     * What an offline scanner needs: the event's public keys, ticket type names and the ids of
     * void tickets (all, or those after `since`). No names or e-mail addresses.
     */
    async scannerKeys(actor: TActor, eventId: string, since: number | undefined) {
      const { event } = await loadEvent(actor, eventId, 'checkin:scan');
      const [keys, types, version] = await Promise.all([
        repo.listKeys(db, eventId),
        repo.ticketTypeNames(db, eventId),
        repo.revocationVersion(db, eventId),
      ]);
      // Read after the version: anything revoked meanwhile is included and fetched again next time, never missed.
      const revoked = await repo.revokedSince(db, eventId, since ?? 0);
      return {
        eventId,
        event: {
          title: event.title,
          startsAt: event.starts_at.toISOString(),
          endsAt: event.ends_at.toISOString(),
          timezone: event.timezone,
        },
        publicKeys: keys.map((k) => ({
          keyId: k.id,
          algorithm: 'Ed25519' as const,
          publicKey: k.public_key,
        })),
        ticketTypes: types,
        revoked: revoked.map((r) => r.id),
        revocationVersion: version,
        isFullList: since === undefined || since === 0,
      };
    },

    async stats(actor: TActor, eventId: string) {
      await loadEvent(actor, eventId, 'checkin:scan');
      const [byType, byGate, perMinute, scanCounts] = await Promise.all([
        repo.statsByType(db, eventId),
        repo.statsByGate(db, eventId),
        repo.statsPerMinute(db, eventId),
        repo.scanCounts(db, eventId),
      ]);
      const total = byType.reduce((n, t) => n + t.total, 0);
      const admitted = byType.reduce((n, t) => n + t.admitted, 0);
      const scans = {
        ok: 0,
        already_checked_in: 0,
        invalid: 0,
        void: 0,
        wrong_event: 0,
        undone: 0,
      };
      for (const row of scanCounts) scans[row.result] = row.n;
      return {
        total,
        admitted,
        remaining: total - admitted,
        byTicketType: byType.map((t) => ({
          ticketTypeId: t.id,
          name: t.name,
          total: t.total,
          admitted: t.admitted,
        })),
        byGate: byGate.map((g) => ({ gate: g.checked_in_gate, admitted: g.admitted })),
        perMinute: perMinute.map((m) => ({
          minute: new Date(m.minute).toISOString(),
          admitted: m.admitted,
        })),
        scans,
      };
    },

    /** Takes back an admission (a mistaken scan); managers only, logged and audited. */
    async undo(actor: TActor, eventId: string, ticketId: string) {
      const { event, access } = await loadEvent(actor, eventId, 'checkin:undo');
      return db.transaction().execute(async (trx) => {
        const before = await repo.findTicket(trx, ticketId);
        if (!before || before.event_id !== eventId)
          throw new AppError('not_found', { resource: 'ticket' });
        const undone = await repo.undo(trx, ticketId, eventId);
        if (!undone)
          throw new AppError('invalid_state', undefined, 'The ticket is not checked in.');
        await repo.log(trx, {
          event_id: eventId,
          ticket_id: ticketId,
          ticket_type_id: before.ticket_type_id,
          result: 'undone',
          gate: before.checked_in_gate,
          device_id: null,
          scanned_by: access.actor.userId,
          scanned_at: clock.now(),
          source: 'manual',
          code_fingerprint: '',
          dedupe_key: null,
        });
        await audit.record(trx, {
          organizerId: event.organizer_id,
          actorUserId: access.actor.userId,
          action: 'checkin.undo',
          entityType: 'ticket',
          entityId: ticketId,
          before: {
            checkedInAt: before.checked_in_at?.toISOString() ?? null,
            gate: before.checked_in_gate,
          },
          after: { checkedInAt: null },
        });
        const names = new Map(
          (await repo.ticketTypeNames(trx, eventId)).map((t) => [t.id, t.name]),
        );
        return {
          id: undone.id,
          ticketTypeId: undone.ticket_type_id,
          ticketTypeName: names.get(undone.ticket_type_id) ?? '',
          attendeeName: undone.attendee_name,
          checkedInAt: null,
        };
      });
    },
  };

  /** The result of a scan that was synced before, restated from the ticket's current state. */
  async function replayed(
    result: TCheckInResult['result'],
    ticketId: string | null,
    names: Map<string, string>,
  ): Promise<TCheckInResult> {
    const ticket = ticketId ? await repo.findTicket(db, ticketId) : undefined;
    return {
      result,
      message: messages[result],
      ...(ticket
        ? {
            ticket: {
              id: ticket.id,
              ticketTypeId: ticket.ticket_type_id,
              ticketTypeName: names.get(ticket.ticket_type_id) ?? '',
              attendeeName: ticket.attendee_name,
              checkedInAt: ticket.checked_in_at?.toISOString() ?? null,
            },
          }
        : {}),
      ...(result === 'already_checked_in' && ticket?.checked_in_at
        ? {
            checkedInAt: ticket.checked_in_at.toISOString(),
            gate: ticket.checked_in_gate,
            deviceId: ticket.checked_in_device,
          }
        : {}),
    };
  }
}

export type TCheckinService = ReturnType<typeof createCheckinService>;
