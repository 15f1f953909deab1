import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  makeOnSaleEvent,
  signIn,
  type TSignedIn,
} from '../support/factories.js';
import {
  decryptPrivateKey,
  importRawPublicKey,
  signTicketCode,
  verifyTicketCode,
} from '../../src/modules/tickets/ticket-code.js';
import { createAuditRepository } from '../../src/modules/audit/audit.repository.js';
import { createCheckinRepository } from '../../src/modules/checkin/checkin.repository.js';
import { createCheckinService } from '../../src/modules/checkin/checkin.service.js';
import { createEventsRepository } from '../../src/modules/events/events.repository.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type TResult = {
  result: string;
  checkedInAt?: string;
  gate?: string | null;
  deviceId?: string | null;
  ticket?: { id: string; attendeeName: string; ticketTypeName: string };
};
type TSync = TResult & { index: number; isReplay: boolean; isDuplicateAcrossDevices: boolean };

const scan = (
  eventId: string,
  who: TSignedIn,
  code: string,
  gate = 'North',
  deviceId = 'phone-1',
) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/events/${eventId}/check-ins`,
    headers: who.headers,
    payload: { code, gate, deviceId },
  });
const sync = (eventId: string, who: TSignedIn, scans: object[]) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/events/${eventId}/check-ins/sync`,
    headers: who.headers,
    payload: scans,
  });

async function setup(quantity = 3) {
  const sale = await makeOnSaleEvent(ctx, { capacity: 10_000, maxPerOrder: 100, name: 'Standing' });
  const buyer = await signIn(ctx);
  const order = await buyTickets(ctx, buyer, sale.event.id, sale.ticketType.id, quantity);
  const staff = await addMember(ctx, sale.owner, sale.organizer.id, 'staff');
  return { ...sale, buyer, order, staff };
}

describe('online check-in', () => {
  it('admits a valid ticket once, then reports when and where it was admitted', async () => {
    const { event, order, staff } = await setup();
    const code = order.tickets[0]?.code ?? '';
    const first = await scan(event.id, staff, code, 'North');
    expect(first.statusCode).toBe(200);
    expect(first.json<TResult>()).toMatchObject({
      result: 'ok',
      ticket: { id: order.tickets[0]?.id, ticketTypeName: 'Standing' },
    });
    const again = await scan(event.id, staff, code, 'South');
    expect(again.statusCode).toBe(409);
    expect(again.json<TResult>()).toMatchObject({
      result: 'already_checked_in',
      gate: 'North',
      checkedInAt: ctx.clock.now().toISOString(),
    });
  });

  it('refuses garbage, truncated, forged, void and other events’ codes with the right result', async () => {
    const { event, order, staff, owner, buyer } = await setup(2);
    const other = await makeOnSaleEvent(ctx);
    const otherTicket = (await buyTickets(ctx, buyer, other.event.id, other.ticketType.id, 1))
      .tickets[0];
    const code = order.tickets[0]?.code ?? '';
    const [prefix, keyId] = code.split('.');
    // A code made with a key of our own, claiming the event's key id.
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = signTicketCode(
      {
        ticketId: order.tickets[0]?.id ?? '',
        eventId: event.id,
        ticketTypeId: randomUUID(),
        validUntil: new Date('2031-01-01'),
      },
      { id: keyId ?? '', privateKey },
    );
    // Signed with the event's own key, but not the code this ticket was issued (another
    // validity): only the issued code admits, so only the key's holder could make one, and it is
    // still refused.
    const eventKey = await ctx.db
      .selectFrom('event_keys')
      .select(['id', 'private_key_encrypted'])
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();
    const reSigned = signTicketCode(
      {
        ticketId: order.tickets[0]?.id ?? '',
        eventId: event.id,
        ticketTypeId: order.tickets[0]?.ticketTypeId ?? '',
        validUntil: new Date('2039-01-01'),
      },
      {
        id: eventKey.id,
        privateKey: decryptPrivateKey(eventKey.private_key_encrypted, ctx.config.appSecret),
      },
    );
    const cases: [string, number, string][] = [
      ['hello world', 422, 'invalid'],
      [reSigned, 422, 'invalid'],
      [code.slice(0, -10), 422, 'invalid'],
      [`${prefix}.${keyId}.AAAA.BBBB`, 422, 'invalid'],
      [forged, 422, 'invalid'],
      ['<script>alert(1)</script>', 422, 'invalid'],
      [otherTicket?.code ?? '', 422, 'wrong_event'],
    ];
    for (const [text, status, result] of cases) {
      const res = await scan(event.id, staff, text);
      expect(res.statusCode, text).toBe(status);
      expect(res.json<TResult>().result).toBe(result);
    }
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: owner.headers,
    });
    const voided = await scan(event.id, staff, code);
    expect(voided.statusCode).toBe(422);
    expect(voided.json<TResult>()).toMatchObject({ result: 'void' });
    const logged = await ctx.db
      .selectFrom('check_ins')
      .select(['result', 'code_fingerprint'])
      .where('event_id', '=', event.id)
      .execute();
    expect(logged.map((l) => l.result).sort()).toEqual([
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'void',
      'wrong_event',
    ]);
    expect(logged.every((l) => /^[0-9a-f]{16}$/.test(l.code_fingerprint))).toBe(true);
    expect((await scan(event.id, staff, 'x'.repeat(1001))).statusCode).toBe(400);
  });

  it('lets only the organizer’s team scan', async () => {
    const { event, order, buyer } = await setup(1);
    const outsider = await makeOnSaleEvent(ctx);
    const code = order.tickets[0]?.code ?? '';
    expect((await scan(event.id, buyer, code)).statusCode).toBe(404);
    expect((await scan(event.id, outsider.owner, code)).statusCode).toBe(404);
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/check-ins`,
      payload: { code },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(
      await ctx.db
        .selectFrom('tickets')
        .select('checked_in_at')
        .where('id', '=', order.tickets[0]?.id ?? '')
        .executeTakeFirstOrThrow(),
    ).toEqual({ checked_in_at: null });
  });

  it('admits exactly once when many gates scan the same ticket at the same instant', async () => {
    const { event, order, staff } = await setup(1);
    const code = order.tickets[0]?.code ?? '';
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => scan(event.id, staff, code, `Gate ${i}`, `device-${i}`)),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(15);
    // Even a duplicate that raced the admission says where and when the ticket got in.
    const winner = results.findIndex((r) => r.statusCode === 200);
    for (const r of results.filter((r) => r.statusCode === 409)) {
      expect(r.json<TResult>()).toMatchObject({
        result: 'already_checked_in',
        gate: `Gate ${winner}`,
        deviceId: `device-${winner}`,
        checkedInAt: ctx.clock.now().toISOString(),
      });
    }
  });

  it('refuses a member removed from the organizer on their very next scan, and logs nothing', async () => {
    const { event, order, staff, owner, organizer } = await setup(2);
    expect((await scan(event.id, staff, order.tickets[0]?.code ?? '')).statusCode).toBe(200);
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizers/${organizer.id}/members/${staff.userId}`,
      headers: owner.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await scan(event.id, staff, order.tickets[1]?.code ?? '')).statusCode).toBe(404);
    expect((await scan(event.id, staff, 'junk')).statusCode).toBe(404);
    const logged = await ctx.db
      .selectFrom('check_ins')
      .select('result')
      .where('event_id', '=', event.id)
      .execute();
    expect(logged).toEqual([{ result: 'ok' }]);
    const unknownEvent = await scan(randomUUID(), owner, order.tickets[1]?.code ?? '');
    expect(unknownEvent.statusCode).toBe(404);
    expect(unknownEvent.json()).toMatchObject({
      error: 'not_found',
      details: { resource: 'event' },
    });
    // The owner (every role of the team may scan) admits the ticket the removed member could not.
    expect((await scan(event.id, owner, order.tickets[1]?.code ?? '')).statusCode).toBe(200);
  });

  it('scans with one database statement and no explicit transaction', async () => {
    const { event, order, staff } = await setup(2);
    let statements = 0;
    const db = ctx.db.withPlugin({
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    const transaction = vi.spyOn(db, 'transaction');
    const checkin = createCheckinService({
      db,
      repo: createCheckinRepository(),
      events: createEventsRepository(),
      audit: createAuditRepository(),
      clock: ctx.clock,
    });
    const actor = { userId: staff.userId, email: staff.email, isAdmin: false, sessionId: 'test' };
    const code = order.tickets[0]?.code ?? '';
    // The first scan fills the caches of public keys and ticket type names.
    await checkin.checkIn(actor, event.id, { code: order.tickets[1]?.code ?? '' });
    statements = 0;
    expect(await checkin.checkIn(actor, event.id, { code })).toMatchObject({ result: 'ok' });
    expect(await checkin.checkIn(actor, event.id, { code })).toMatchObject({
      result: 'already_checked_in',
    });
    expect(await checkin.checkIn(actor, event.id, { code: 'junk' })).toMatchObject({
      result: 'invalid',
    });
    expect(statements).toBe(3);
    expect(transaction).not.toHaveBeenCalled();
  });

  it('finds the scanned ticket by primary key in its kept plan, on a table never analyzed', async () => {
    // `checkin_scan` is PL/pgSQL so that its statements keep their (generic) plans. On a table
    // never analyzed, the planner once rated the event's (event_id, status) index as cheap as the
    // primary key and chose it: every scan read all of the event's tickets to find one, and the
    // door slowed down as the event grew. The statistics functions count this transaction's scans.
    const { event, order, staff } = await setup(40);
    const repo = createCheckinRepository();
    const indexScans = await ctx.db.transaction().execute(async (trx) => {
      // What PL/pgSQL settles on after a few calls, from the first call.
      await sql`SET LOCAL plan_cache_mode = force_generic_plan`.execute(trx);
      const scanById = async (ticketId: string, code: string) =>
        (
          await repo.scan(trx, [
            {
              eventId: event.id,
              userId: staff.userId,
              isAdmin: false,
              permittedRoles: ['owner', 'manager', 'staff'],
              ticketId,
              code,
              presetResult: null,
              at: ctx.clock.now(),
              gate: 'North',
              deviceId: 'phone-1',
              source: 'online',
              codeFingerprint: 'fingerprint',
              dedupeKey: null,
            },
          ])
        )[0]?.result;
      const { id: ticketId = '', code = '' } = order.tickets[0] ?? {};
      expect(await scanById(ticketId, code)).toBe('ok');
      expect(await scanById(ticketId, code)).toBe('already_checked_in');
      expect(await scanById(randomUUID(), code)).toBe('invalid');
      const { rows } = await sql<{ name: string; scans: string }>`
        SELECT c.relname AS name, pg_stat_get_xact_numscans(c.oid) AS scans
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'tickets'::regclass
      `.execute(trx);
      return Object.fromEntries(rows.map((r) => [r.name, Number(r.scans)]));
    });
    expect(indexScans['tickets_event_idx']).toBe(0);
    // Three UPDATEs and the look-ups after the two that admitted nothing (the foreign key checks
    // of the log rows come on top).
    expect(indexScans['tickets_pkey']).toBeGreaterThanOrEqual(5);
  });
});

describe('offline scanning', () => {
  it('hands out public keys and revocations that verify codes without the server, and nothing personal', async () => {
    const { event, order, staff, owner, buyer } = await setup(2);
    const keys = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${event.id}/scanner-keys`,
      headers: staff.headers,
    });
    const bundle = keys.json<{
      publicKeys: { publicKey: string }[];
      revoked: string[];
      revocationVersion: number;
      ticketTypes: { name: string }[];
    }>();
    expect(bundle.publicKeys).toHaveLength(1);
    expect(bundle.ticketTypes.map((t) => t.name)).toEqual(['Standing']);
    const publicKey = importRawPublicKey(bundle.publicKeys[0]?.publicKey ?? '');
    expect(verifyTicketCode(order.tickets[0]?.code ?? '', publicKey)).toMatchObject({
      ticketId: order.tickets[0]?.id,
      eventId: event.id,
    });
    expect(keys.body).not.toContain(buyer.email);
    expect(keys.body).not.toContain('attendee');
    expect(bundle.revoked).toEqual([]);

    const second = await buyTickets(ctx, buyer, event.id, order.tickets[0]?.ticketTypeId ?? '', 1);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: owner.headers,
    });
    const after = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/events/${event.id}/scanner-keys`,
        headers: staff.headers,
      })
    ).json<typeof bundle>();
    expect(after.revoked.sort()).toEqual(order.tickets.map((t) => t.id).sort());
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${second.id}/cancel`,
      headers: owner.headers,
    });
    const delta = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/events/${event.id}/scanner-keys?since=${after.revocationVersion}`,
        headers: staff.headers,
      })
    ).json<typeof bundle>();
    expect(delta.revoked).toEqual([second.tickets[0]?.id]);
    expect(delta.revocationVersion).toBe(after.revocationVersion + 1);
  });

  it('two devices admitting the same ticket offline leave one admission and one reported duplicate; re-sending changes nothing', async () => {
    const { event, order, staff } = await setup(2);
    const [t1, t2] = order.tickets;
    const at = (minutes: number) =>
      new Date(ctx.clock.now().getTime() - minutes * 60_000).toISOString();
    const deviceA = [
      { code: t1?.code, scannedAt: at(10), gate: 'A', deviceId: 'device-a', scanId: 'a-1' },
      { code: t2?.code, scannedAt: at(9), gate: 'A', deviceId: 'device-a', scanId: 'a-2' },
    ];
    const deviceB = [
      { code: t1?.code, scannedAt: at(8), gate: 'B', deviceId: 'device-b', scanId: 'b-1' },
    ];
    const a = (await sync(event.id, staff, deviceA)).json<{ results: TSync[] }>().results;
    expect(a.map((r) => r.result)).toEqual(['ok', 'ok']);
    const b = (await sync(event.id, staff, deviceB)).json<{ results: TSync[] }>().results;
    expect(b).toMatchObject([
      {
        result: 'already_checked_in',
        gate: 'A',
        deviceId: 'device-a',
        isDuplicateAcrossDevices: true,
        isReplay: false,
      },
    ]);
    const replay = (await sync(event.id, staff, [...deviceA, ...deviceB])).json<{
      results: TSync[];
    }>().results;
    expect(replay.map((r) => [r.result, r.isReplay])).toEqual([
      ['ok', true],
      ['ok', true],
      ['already_checked_in', true],
    ]);
    const rows = await ctx.db
      .selectFrom('check_ins')
      .select('result')
      .where('event_id', '=', event.id)
      .execute();
    expect(rows.map((r) => r.result).sort()).toEqual(['already_checked_in', 'ok', 'ok']);
    const ticket = await ctx.db
      .selectFrom('tickets')
      .select(['checked_in_at', 'checked_in_device'])
      .where('id', '=', t1?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(ticket).toEqual({ checked_in_at: new Date(at(10)), checked_in_device: 'device-a' });
  });

  it('scans of several gates in one statement go in order, each authorized on its own', async () => {
    const { event, order, staff, buyer } = await setup(2);
    const [t1, t2] = order.tickets;
    const repo = createCheckinRepository();
    const input = (
      ticket: { id: string; code: string } | undefined,
      userId: string,
      gate: string,
    ) => ({
      eventId: event.id,
      userId,
      isAdmin: false,
      permittedRoles: ['owner', 'manager', 'staff'] as const,
      ticketId: ticket?.id ?? '',
      code: ticket?.code ?? '',
      presetResult: null,
      at: ctx.clock.now(),
      gate,
      deviceId: `device-${gate}`,
      source: 'online' as const,
      codeFingerprint: 'f',
      dedupeKey: null,
    });
    const rows = await repo.scan(ctx.db, [
      input(t1, buyer.userId, 'W'),
      input(t1, staff.userId, 'N'),
      input(t1, staff.userId, 'S'),
      input(t2, staff.userId, 'E'),
    ]);
    // The buyer is no member: nothing admitted or logged for them. A later scan of the same
    // ticket in the same statement sees the earlier one's admission (and says where it was).
    expect(rows.map((r) => [r.role, r.result, r.checked_in_gate])).toEqual([
      [null, null, null],
      ['staff', 'ok', null],
      ['staff', 'already_checked_in', 'N'],
      ['staff', 'ok', null],
    ]);
    const logged = await ctx.db
      .selectFrom('check_ins')
      .select(['gate', 'result'])
      .where('event_id', '=', event.id)
      .orderBy('id')
      .execute();
    expect(logged).toEqual([
      { gate: 'N', result: 'ok' },
      { gate: 'S', result: 'already_checked_in' },
      { gate: 'E', result: 'ok' },
    ]);
  });

  it('a scan whose log row cannot be written admits nothing: admission and log commit together', async () => {
    const { event, order, staff } = await setup(2);
    const [t1, t2] = order.tickets;
    const repo = createCheckinRepository();
    const input = (ticket: { id: string; code: string } | undefined) => ({
      eventId: event.id,
      userId: staff.userId,
      isAdmin: false,
      permittedRoles: ['staff'] as const,
      ticketId: ticket?.id ?? '',
      code: ticket?.code ?? '',
      presetResult: null,
      at: ctx.clock.now(),
      gate: 'A',
      deviceId: 'device-a',
      source: 'offline' as const,
      codeFingerprint: 'f',
      dedupeKey: 'device-a:reused-scan-id',
    });
    expect(await repo.scan(ctx.db, [input(t1)])).toMatchObject([{ result: 'ok' }]);
    // A device that reuses a scan id for another ticket: the log's dedupe key refuses it.
    await expect(repo.scan(ctx.db, [input(t2)])).rejects.toMatchObject({
      code: '23505',
      constraint: 'check_ins_dedupe_key',
    });
    const t2Row = await ctx.db
      .selectFrom('tickets')
      .select('checked_in_at')
      .where('id', '=', t2?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(t2Row).toEqual({ checked_in_at: null });
  });

  it('the same batch uploaded twice at once is applied once; every scan answers once as new', async () => {
    const { event, staff, order } = await setup(20);
    const batch = order.tickets.map((t, i) => ({
      code: t.code,
      scannedAt: new Date(ctx.clock.now().getTime() - (20 - i) * 1000).toISOString(),
      deviceId: 'device-c',
      scanId: `c-${i}`,
    }));
    const [first, second] = await Promise.all([
      sync(event.id, staff, batch),
      sync(event.id, staff, batch),
    ]);
    expect([first?.statusCode, second?.statusCode]).toEqual([200, 200]);
    const a = first?.json<{ results: TSync[] }>().results ?? [];
    const b = second?.json<{ results: TSync[] }>().results ?? [];
    expect([...a, ...b].every((r) => r.result === 'ok')).toBe(true);
    for (let i = 0; i < batch.length; i++)
      expect(
        [a[i]?.isReplay, b[i]?.isReplay].filter((isReplay) => !isReplay),
        `scan ${i}`,
      ).toHaveLength(1);
    const rows = await ctx.db
      .selectFrom('check_ins')
      .select('result')
      .where('event_id', '=', event.id)
      .execute();
    expect(rows).toHaveLength(batch.length);
  });

  it('applies a batch in the order the scans happened and validates it', async () => {
    const { event, order, staff } = await setup(1);
    const code = order.tickets[0]?.code;
    const batch = [
      { code, scannedAt: '2030-03-01T08:59:00Z', deviceId: 'd1', gate: 'late' },
      { code, scannedAt: '2030-03-01T08:30:00Z', deviceId: 'd1', gate: 'early' },
    ];
    const results = (await sync(event.id, staff, batch)).json<{ results: TSync[] }>().results;
    expect(results.map((r) => [r.index, r.result])).toEqual([
      [0, 'already_checked_in'],
      [1, 'ok'],
    ]);
    expect(results[0]).toMatchObject({ gate: 'early', isDuplicateAcrossDevices: false });
    expect((await sync(event.id, staff, [])).statusCode).toBe(400);
    expect(
      (await sync(event.id, staff, [{ code, scannedAt: 'yesterday', deviceId: 'd1' }])).statusCode,
    ).toBe(400);
    expect(
      (await sync(event.id, staff, [{ code, scannedAt: '2030-03-01T08:30:00Z' }])).statusCode,
    ).toBe(400);
  });
});

describe('stats and undo', () => {
  it('counts admissions by ticket type, gate and minute, and every scan by result', async () => {
    const { event, order, staff } = await setup(3);
    await scan(event.id, staff, order.tickets[0]?.code ?? '', 'North');
    ctx.clock.advance(60_000);
    await scan(event.id, staff, order.tickets[1]?.code ?? '', 'South');
    await scan(event.id, staff, order.tickets[1]?.code ?? '', 'South');
    await scan(event.id, staff, 'junk');
    const stats = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/events/${event.id}/check-ins/stats`,
        headers: staff.headers,
      })
    ).json<{
      total: number;
      admitted: number;
      remaining: number;
      byTicketType: { name: string; total: number; admitted: number }[];
      byGate: { gate: string; admitted: number }[];
      perMinute: { admitted: number }[];
      scans: Record<string, number>;
    }>();
    expect(stats).toMatchObject({ total: 3, admitted: 2, remaining: 1 });
    expect(stats.byTicketType).toEqual([
      { ticketTypeId: expect.any(String) as unknown, name: 'Standing', total: 3, admitted: 2 },
    ]);
    expect(stats.byGate).toEqual([
      { gate: 'North', admitted: 1 },
      { gate: 'South', admitted: 1 },
    ]);
    expect(stats.perMinute.map((m) => m.admitted)).toEqual([1, 1]);
    expect(stats.scans).toMatchObject({ ok: 2, already_checked_in: 1, invalid: 1 });
  });

  it('lets managers (not staff) undo a check-in, logged and audited', async () => {
    const { event, order, staff, owner, organizer } = await setup(1);
    const ticketId = order.tickets[0]?.id ?? '';
    await scan(event.id, staff, order.tickets[0]?.code ?? '');
    const undo = (who: TSignedIn) =>
      ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/events/${event.id}/check-ins/${ticketId}`,
        headers: who.headers,
      });
    expect((await undo(staff)).statusCode).toBe(403);
    expect((await undo(owner)).json()).toMatchObject({ id: ticketId, checkedInAt: null });
    expect((await undo(owner)).statusCode).toBe(409);
    expect((await scan(event.id, staff, order.tickets[0]?.code ?? '')).statusCode).toBe(200);
    const log = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/organizers/${organizer.id}/audit-log?limit=1`,
      headers: owner.headers,
    });
    expect(log.json()).toMatchObject({ items: [{ action: 'checkin.undo', entityId: ticketId }] });
  });
});

describe(`parallel scanners on ${testTarget}`, () => {
  // The full-size run (10,000 tickets, 12,000 scans) is for real PostgreSQL; the embedded
  // database runs the same scenario at a tenth of the size.
  const tickets = testTarget === 'postgres' ? 10_000 : 1_000;
  const scans = Math.round(tickets * 1.2);

  it(
    `8 scanners, ${scans} scans of ${tickets} tickets with 20% duplicates: exactly ${tickets} admitted`,
    { timeout: 600_000 },
    async () => {
      const sale = await makeOnSaleEvent(ctx, {
        capacity: tickets,
        maxPerOrder: 100,
        priceCents: 0,
      });
      const buyer = await signIn(ctx);
      const codes: string[] = [];
      for (let i = 0; i < tickets / 100; i++) {
        const { order } = await ctx.services.orders.createOrder(
          { userId: buyer.userId, email: buyer.email, isAdmin: false, sessionId: 'test' },
          { eventId: sale.event.id, items: [{ ticketTypeId: sale.ticketType.id, quantity: 100 }] },
          undefined,
        );
        codes.push(...order.tickets.map((t) => t.code));
      }
      const staff = await addMember(ctx, sale.owner, sale.organizer.id, 'staff');
      // Every ticket once, plus 20% repeats, shuffled so duplicates hit different scanners.
      const queue = [...codes, ...codes.slice(0, scans - tickets)].sort(() => Math.random() - 0.5);
      const counts = { ok: 0, already_checked_in: 0, other: 0 };
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async (_, scanner) => {
          for (let code = queue.pop(); code !== undefined; code = queue.pop()) {
            const t0 = performance.now();
            const res = await scan(
              sale.event.id,
              staff,
              code,
              `Gate ${scanner}`,
              `scanner-${scanner}`,
            );
            latencies.push(performance.now() - t0);
            const result = res.json<TResult>().result;
            if (result === 'ok' || result === 'already_checked_in') counts[result] += 1;
            else counts.other += 1;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      expect(counts).toEqual({ ok: tickets, already_checked_in: scans - tickets, other: 0 });
      const admitted = await ctx.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('event_id', '=', sale.event.id)
        .where('checked_in_at', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(Number(admitted.n)).toBe(tickets);
      const logged = await ctx.db
        .selectFrom('check_ins')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('event_id', '=', sale.event.id)
        .executeTakeFirstOrThrow();
      expect(Number(logged.n)).toBe(scans);
      latencies.sort((a, b) => a - b);
      const p = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1);
      console.info(
        `[parallel scanners ${testTarget}] ${scans} scans of ${tickets} tickets by 8 scanners in ${seconds.toFixed(1)} s: ${(scans / seconds).toFixed(0)} scans/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms; ${counts.ok} ok, ${counts.already_checked_in} duplicates, ${counts.other} other`,
      );
    },
  );
});
