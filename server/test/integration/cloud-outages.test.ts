import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import { buyTickets, makeOnSaleEvent, signIn, uniqueEmail } from '../support/factories.js';

/**
 * A cloud service that is down at run time: requests answer a clear 503, nothing is half
 * written. The endpoints point at a port that accepts connections and drops them at once.
 */
describe('cloud adapters unavailable at run time', () => {
  let ctx: TTestContext;
  let dropper: Server;
  const saved = { ...process.env };

  beforeAll(async () => {
    dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const address = dropper.address();
    const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // The AWS SDK reads credentials from the environment; these only need to exist.
    process.env['AWS_ACCESS_KEY_ID'] = 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
    ctx = await createTestContext({
      env: {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'tickitnow-down',
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: 'test',
        S3_SECRET_ACCESS_KEY: 'test',
        ACTIVITY_DRIVER: 'dynamodb',
        DYNAMODB_ACTIVITY_TABLE: 'tickitnow-activity',
        DYNAMODB_ENDPOINT: endpoint,
      },
    });
  });
  afterAll(async () => {
    await ctx.close();
    await new Promise<void>((resolve) => dropper.close(() => resolve()));
    process.env = saved;
  });

  it('activity: 503 with Retry-After, not a 500', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/activity',
      payload: { type: 'page_view' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'service_unavailable' });
    expect(res.headers['retry-after']).toBe('1');
  });

  it('QR code of a ticket: 503 while storage is down; the ticket itself is intact', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 2, priceCents: 0 });
    const buyer = await signIn(ctx, uniqueEmail('outage'));
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    const ticketId = order.tickets[0]!.id;
    const qr = await ctx.app.inject({
      url: `/api/v1/tickets/${ticketId}/qr`,
      headers: buyer.headers,
    });
    expect(qr.statusCode).toBe(503);
    expect(qr.json()).toMatchObject({ error: 'service_unavailable' });
    const ticket = await ctx.app.inject({
      url: `/api/v1/tickets/${ticketId}`,
      headers: buyer.headers,
    });
    expect(ticket.statusCode).toBe(200);
    expect(ticket.json()).toMatchObject({ id: ticketId, status: 'valid' });
  });
});
