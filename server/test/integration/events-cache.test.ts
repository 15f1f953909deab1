import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_READ_TTL_MS } from '../../src/modules/events/events.service.js';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  makeEvent,
  makeOrganizer,
  signIn,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';

let ctx: TTestContext;
let owner: TSignedIn;
let organizerId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  owner = await signIn(ctx, uniqueEmail('owner'));
  organizerId = (await makeOrganizer(ctx, owner)).id;
});
afterAll(() => ctx.close());

const getPublic = (ref: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/events/${ref}` });
const list = (q: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/events?q=${q}` });

describe(`public event reads are cached briefly on ${testTarget}`, () => {
  it('serves a changed row at most PUBLIC_READ_TTL_MS late when the change bypasses the service', async () => {
    const event = await makeEvent(ctx, owner, organizerId, {
      publish: true,
      input: { title: 'Cached Quartet' },
    });
    expect((await getPublic(event.slug)).json()).toMatchObject({ title: 'Cached Quartet' });
    expect((await list('quartet')).json<{ items: unknown[] }>().items).toHaveLength(1);
    await ctx.db
      .updateTable('events')
      .set({ title: 'Renamed Quintet' })
      .where('id', '=', event.id)
      .execute();
    // Within the bound the cached page may still be served ...
    expect((await getPublic(event.slug)).json()).toMatchObject({ title: 'Cached Quartet' });
    // ... and after it, never.
    ctx.clock.advance(PUBLIC_READ_TTL_MS + 1);
    expect((await getPublic(event.slug)).json()).toMatchObject({ title: 'Renamed Quintet' });
    expect((await getPublic(event.id)).json()).toMatchObject({ title: 'Renamed Quintet' });
    expect((await list('quintet')).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('shows changes made through the service at once', async () => {
    const event = await makeEvent(ctx, owner, organizerId, {
      publish: true,
      input: { title: 'Morning Choir' },
    });
    expect((await getPublic(event.slug)).json()).toMatchObject({ title: 'Morning Choir' });
    expect((await list('choir')).json<{ items: unknown[] }>().items).toHaveLength(1);
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/events/${event.id}`,
      headers: owner.headers,
      payload: { title: 'Evening Choir' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await getPublic(event.slug)).json()).toMatchObject({ title: 'Evening Choir' });
    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/cancel`,
      headers: owner.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    expect((await getPublic(event.id)).json()).toMatchObject({ status: 'cancelled' });
    // Cancelled events leave the catalogue at once.
    expect((await list('choir')).json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('never serves a draft to someone who may not see it, even after its team viewed it', async () => {
    const draft = await makeEvent(ctx, owner, organizerId, { input: { title: 'Secret Draft' } });
    const asOwner = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${draft.id}`,
      headers: owner.headers,
    });
    expect(asOwner.statusCode).toBe(200);
    expect((await getPublic(draft.id)).statusCode).toBe(404);
    expect((await getPublic(draft.slug)).statusCode).toBe(404);
    // Publishing shows it at once.
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${draft.id}/publish`,
      headers: owner.headers,
    });
    expect((await getPublic(draft.slug)).statusCode).toBe(200);
  });
});
