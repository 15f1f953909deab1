import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  makeOnSaleEvent,
  placeOrder,
  signIn,
  payOrder,
  type TSignedIn,
  type TTestOrder,
} from '../support/factories.js';
import { decodeQr } from '../support/qr.js';

const run = promisify(execFile);
let ctx: TTestContext;
let scratch: string;
beforeAll(async () => {
  ctx = await createTestContext();
  scratch = mkdtempSync(path.join(tmpdir(), 'tin-tickets-'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await ctx.close();
});

const get = (url: string, who?: TSignedIn) =>
  ctx.app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) });

describe('tickets', () => {
  it('come with a QR PNG behind a time-limited URL that a real decoder reads back to the exact code', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 2);
    for (const ticket of order.tickets) {
      const qr = await get(`/api/v1/tickets/${ticket.id}/qr`, buyer);
      expect(qr.statusCode).toBe(200);
      const { url, expiresAt } = qr.json<{ url: string; expiresAt: string }>();
      expect(new Date(expiresAt).getTime() - ctx.clock.now().getTime()).toBe(15 * 60_000);
      const png = await get(url.replace(ctx.config.publicUrl, ''));
      expect(png.headers['content-type']).toBe('image/png');
      expect(await decodeQr(png.rawPayload)).toBe(ticket.code);
    }
    ctx.clock.advance(16 * 60_000);
    const { url } = (await get(`/api/v1/tickets/${order.tickets[0]?.id}/qr`, buyer)).json<{
      url: string;
    }>();
    ctx.clock.advance(16 * 60_000);
    expect((await get(url.replace(ctx.config.publicUrl, ''))).statusCode).toBe(403);
  });

  it('stores every QR code of an order through the storage port by a durable job', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 3);
    await ctx.drainJobs();
    const rows = await ctx.db
      .selectFrom('tickets')
      .select(['code', 'qr_key'])
      .where('order_id', '=', order.id)
      .execute();
    for (const row of rows) {
      expect(row.qr_key).toMatch(/^tickets\/[0-9a-f-]+\/qr-[0-9a-f]{16}\.png$/);
      const stored = await ctx.deps.storage.get(row.qr_key ?? '');
      expect(await decodeQr(stored?.body ?? Buffer.alloc(0))).toBe(row.code);
    }
  });

  it('print as a PDF with the event, its local time, the venue, the attendee and a scannable QR', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const created = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      attendees: [{ name: 'Zoë Ångström', email: 'zoe@example.test' }],
    });
    const order = (await payOrder(ctx, buyer, created.json<TTestOrder>().id)).json<TTestOrder>();
    const ticket = order.tickets[0];
    const res = await get(`/api/v1/tickets/${ticket?.id}/pdf`, buyer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = path.join(scratch, 'ticket.pdf');
    writeFileSync(file, res.rawPayload);
    const { stdout: text } = await run('pdftotext', [file, '-']);
    // The event starts 2030-06-01T18:00Z, which is 19:00 in Lisbon (summer time).
    for (const expected of [
      'Harbour Jazz Night',
      'Saturday, 1 June 2030, 19:00',
      'Europe/Lisbon',
      'Armazém 16',
      'Zoë Ångström',
      'General admission',
    ]) {
      expect(text).toContain(expected);
    }
    await run('pdftoppm', ['-r', '150', '-png', '-singlefile', file, path.join(scratch, 'page')]);
    expect(await decodeQr(readFileSync(path.join(scratch, 'page.png')))).toBe(ticket?.code);
  });

  it('are visible to the buyer, the named attendee and the team, and nobody else', async () => {
    const { owner, organizer, event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const attendee = await signIn(ctx);
    const stranger = await signIn(ctx);
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    const created = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
      attendees: [{ name: 'Guest', email: attendee.email }],
    });
    const order = (await payOrder(ctx, buyer, created.json<TTestOrder>().id)).json<TTestOrder>();
    const [guestTicket, buyerTicket] = order.tickets;
    for (const who of [buyer, attendee, staff])
      expect((await get(`/api/v1/tickets/${guestTicket?.id}`, who)).statusCode).toBe(200);
    for (const path of ['', '/qr', '/pdf']) {
      const res = await get(`/api/v1/tickets/${guestTicket?.id}${path}`, stranger);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    expect((await get(`/api/v1/tickets/${buyerTicket?.id}`, attendee)).statusCode).toBe(404);
    expect((await get(`/api/v1/tickets/${guestTicket?.id}`)).statusCode).toBe(401);
    const detail = (await get(`/api/v1/tickets/${guestTicket?.id}`, attendee)).json<{
      event: { title: string };
      ticketTypeName: string;
    }>();
    expect(detail).toMatchObject({
      ticketTypeName: 'General admission',
      event: { title: 'Harbour Jazz Night' },
    });

    const buyerList = (await get('/api/v1/me/tickets', buyer))
      .json<{ items: { id: string }[] }>()
      .items.map((t) => t.id);
    expect(buyerList.sort()).toEqual([guestTicket?.id, buyerTicket?.id].sort());
    const attendeeList = (await get('/api/v1/me/tickets', attendee))
      .json<{ items: { id: string }[] }>()
      .items.map((t) => t.id);
    expect(attendeeList).toEqual([guestTicket?.id]);
    expect((await get('/api/v1/me/tickets', stranger)).json()).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('carry codes signed per event: a code from one event does not verify with another event’s key', async () => {
    const a = await makeOnSaleEvent(ctx);
    const b = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const ticketA = (await buyTickets(ctx, buyer, a.event.id, a.ticketType.id, 1)).tickets[0];
    await buyTickets(ctx, buyer, b.event.id, b.ticketType.id, 1);
    const { importRawPublicKey, verifyTicketCode } =
      await import('../../src/modules/tickets/ticket-code.js');
    const keys = await ctx.db
      .selectFrom('event_keys')
      .select(['event_id', 'public_key', 'private_key_encrypted'])
      .where('event_id', 'in', [a.event.id, b.event.id])
      .execute();
    const keyOf = (eventId: string) =>
      importRawPublicKey(keys.find((k) => k.event_id === eventId)?.public_key ?? '');
    expect(verifyTicketCode(ticketA?.code ?? '', keyOf(a.event.id))).toMatchObject({
      ticketId: ticketA?.id,
      eventId: a.event.id,
    });
    expect(verifyTicketCode(ticketA?.code ?? '', keyOf(b.event.id))).toBeNull();
    expect(keys.every((k) => !k.private_key_encrypted.includes('PRIVATE KEY'))).toBe(true);
  });
});
