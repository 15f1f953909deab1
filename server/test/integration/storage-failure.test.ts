import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTickets, makeOnSaleEvent, signIn, uniqueEmail } from '../support/factories.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';

/**
 * Local storage that cannot be written (here a folder under /sys, which refuses writes even to
 * root, standing in for a full or read-only disk): uploads and QR codes answer a clear 503 and
 * nothing is half-written.
 */
describe('unwritable local storage', () => {
  let ctx: TTestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { STORAGE_DIR: '/sys/tickitnow-unwritable/files' } });
  });
  afterAll(() => ctx.close());

  it('refuses an image upload with 503 and keeps the event as it was', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    const png = await sharp({
      create: { width: 640, height: 360, channels: 3, background: '#123' },
    })
      .png()
      .toBuffer();
    const res = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/events/${event.id}/image`,
      headers: { ...owner.headers, 'content-type': 'image/png' },
      payload: png,
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'service_unavailable' });
    const row = await ctx.db
      .selectFrom('events')
      .select('image_key')
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.image_key).toBeNull();
  });

  it('answers a QR code request with 503 while the ticket stays valid', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { priceCents: 0 });
    const buyer = await signIn(ctx, uniqueEmail('unwritable'));
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    const qr = await ctx.app.inject({
      url: `/api/v1/tickets/${order.tickets[0]!.id}/qr`,
      headers: buyer.headers,
    });
    expect(qr.statusCode).toBe(503);
    expect(qr.json()).toMatchObject({ error: 'service_unavailable' });
    expect(order.tickets[0]!.status).toBe('valid');
  });
});
