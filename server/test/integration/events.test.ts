import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  eventInput,
  makeEvent,
  makeOrganizer,
  signIn,
  type TSignedIn,
} from '../support/factories.js';

let ctx: TTestContext;
let owner: TSignedIn;
let organizerId: string;
beforeAll(async () => {
  ctx = await createTestContext();
  owner = await signIn(ctx);
  organizerId = (await makeOrganizer(ctx, owner, 'Events Co')).id;
});
afterAll(() => ctx.close());

type TEventBody = {
  id: string;
  slug: string;
  status: string;
  title: string;
  startsAt: string;
  descriptionHtml: string;
};
type TErrorBody = { error: string; details?: { issues?: { path: string[] }[] } };

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who?: TSignedIn, payload?: object) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    ...(who ? { headers: who.headers } : {}),
    ...(payload !== undefined ? { payload } : {}),
  });
const create = (payload: object, who = owner) =>
  call('POST', `/organizers/${organizerId}/events`, who, payload);
const issuePaths = (body: TErrorBody) => (body.details?.issues ?? []).map((i) => i.path.join('.'));

describe('creating and editing events', () => {
  it('creates a draft with a derived slug, UTC instants and sanitized Markdown', async () => {
    const res = await create(
      eventInput({
        title: 'Noite de Fado: Ao Vivo!',
        description: 'Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**',
      }),
    );
    expect(res.statusCode).toBe(201);
    const event = res.json<TEventBody & { timezone: string; venue: unknown }>();
    expect(event).toMatchObject({
      status: 'draft',
      slug: 'noite-de-fado-ao-vivo',
      startsAt: '2030-06-01T18:00:00.000Z',
      timezone: 'Europe/Lisbon',
    });
    expect(event.descriptionHtml).toContain('<strong>bold</strong>');
    expect(event.descriptionHtml).not.toContain('<script>');
    expect(event.descriptionHtml).not.toContain('href="javascript:');
  });

  it('answers each kind of bad input with a specific 400 and writes nothing', async () => {
    const before = await ctx.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cases: [object, string][] = [
      [eventInput({ unknownField: 1 }), ''],
      [eventInput({ title: 42 }), 'title'],
      [eventInput({ title: 'x'.repeat(201) }), 'title'],
      [eventInput({ timezone: 'Mars/Olympus_Mons' }), 'timezone'],
      [eventInput({ endsAt: '2030-06-01T17:00:00+01:00' }), 'endsAt'],
      [eventInput({ startsAt: '2030-06-01 19:00' }), 'startsAt'],
      [eventInput({ category: 'rave' }), 'category'],
      [eventInput({ venue: null, onlineUrl: null }), 'venue'],
      [eventInput({ venue: null, onlineUrl: 'javascript:alert(1)' }), 'onlineUrl'],
      [eventInput({ venue: { name: 'X', city: 'Y', country: 'Portugal' } }), 'venue.country'],
      [eventInput({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), 'tags'],
      [eventInput({ description: 'x'.repeat(20_001) }), 'description'],
    ];
    for (const [payload, path] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json<TErrorBody>();
      expect(body.error).toBe('validation_failed');
      expect(issuePaths(body)).toContain(path);
    }
    const after = await ctx.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses malformed JSON and wrong content types with JSON errors', async () => {
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/organizers/${organizerId}/events`,
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'invalid_json' });
    const text = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/organizers/${organizerId}/events`,
      headers: { ...owner.headers, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('edits fields, checks endsAt against the stored startsAt, and audits before/after', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const ok = await call('PATCH', `/events/${event.id}`, owner, {
      title: 'New Title',
      tags: ['A', 'a', 'b'],
    });
    expect(ok.json()).toMatchObject({ title: 'New Title', tags: ['a', 'b'], slug: event.slug });
    const bad = await call('PATCH', `/events/${event.id}`, owner, {
      endsAt: '2030-05-01T00:00:00Z',
    });
    expect(bad.statusCode).toBe(400);
    expect(issuePaths(bad.json<TErrorBody>())).toContain('endsAt');
    const stored = await call('GET', `/events/${event.id}`, owner);
    expect(stored.json()).toMatchObject({ title: 'New Title', endsAt: '2030-06-01T22:00:00.000Z' });
    const log = await call('GET', `/organizers/${organizerId}/audit-log?limit=1`, owner);
    expect(log.json()).toMatchObject({
      items: [
        {
          action: 'event.update',
          entityId: event.id,
          before: { title: 'Harbour Jazz Night' },
          after: { title: 'New Title' },
        },
      ],
    });
    const switchToOnline = await call('PATCH', `/events/${event.id}`, owner, { venue: null });
    expect(issuePaths(switchToOnline.json<TErrorBody>())).toContain('venue');
    const online = await call('PATCH', `/events/${event.id}`, owner, {
      venue: null,
      onlineUrl: 'https://meet.example/x',
    });
    expect(online.json()).toMatchObject({ venue: null, onlineUrl: 'https://meet.example/x' });
  });

  it('publishes and cancels; a cancelled event cannot be edited or republished', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const published = await call('POST', `/events/${event.id}/publish`, owner);
    expect(published.json()).toMatchObject({ status: 'published' });
    expect((await call('POST', `/events/${event.id}/publish`, owner)).json()).toMatchObject({
      status: 'published',
    });
    expect((await call('POST', `/events/${event.id}/cancel`, owner)).json()).toMatchObject({
      status: 'cancelled',
    });
    const edit = await call('PATCH', `/events/${event.id}`, owner, { title: 'Back again' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({ error: 'event_not_editable' });
    expect((await call('POST', `/events/${event.id}/publish`, owner)).json()).toMatchObject({
      error: 'event_not_editable',
    });
    // Once published, a cancelled event stays visible so ticket holders can see it was cancelled.
    expect((await call('GET', `/events/${event.slug}`)).json()).toMatchObject({
      status: 'cancelled',
    });
  });

  it('lets managers edit, staff only read, strangers nothing (404)', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const manager = await addMember(ctx, owner, organizerId, 'manager');
    const staff = await addMember(ctx, owner, organizerId, 'staff');
    const stranger = await signIn(ctx);
    expect(
      (await call('PATCH', `/events/${event.id}`, manager, { title: 'By manager' })).statusCode,
    ).toBe(200);
    expect(
      (await call('PATCH', `/events/${event.id}`, staff, { title: 'By staff' })).statusCode,
    ).toBe(403);
    expect((await call('POST', `/events/${event.id}/publish`, staff)).statusCode).toBe(403);
    expect((await call('GET', `/events/${event.id}`, staff)).statusCode).toBe(200);
    expect((await call('GET', `/organizers/${organizerId}/events`, staff)).statusCode).toBe(200);
    for (const res of [
      await call('GET', `/events/${event.id}`, stranger),
      await call('PATCH', `/events/${event.id}`, stranger, { title: 'Hijack' }),
      await call('POST', `/events/${event.id}/publish`, stranger),
      await call('POST', `/events/${event.id}/cancel`, stranger),
      await call('GET', `/organizers/${organizerId}/events`, stranger),
      await call('POST', `/organizers/${organizerId}/events`, stranger, eventInput()),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    expect((await call('GET', `/events/${event.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/events/${event.id}`, owner)).json()).toMatchObject({
      title: 'By manager',
      status: 'draft',
    });
  });

  it('lists all of an organizer’s events for members, filtered by status', async () => {
    const other = await signIn(ctx);
    const orgId = (await makeOrganizer(ctx, other, 'Status Co')).id;
    await makeEvent(ctx, other, orgId);
    await makeEvent(ctx, other, orgId, { publish: true });
    const all = await call('GET', `/organizers/${orgId}/events`, other);
    expect(all.json<{ items: unknown[] }>().items).toHaveLength(2);
    const drafts = await call('GET', `/organizers/${orgId}/events?status=draft`, other);
    expect(drafts.json<{ items: { status: string }[] }>().items.map((e) => e.status)).toEqual([
      'draft',
    ]);
  });
});

describe('the public catalogue', () => {
  let catalogueOwner: TSignedIn;
  let catalogueOrg: string;
  beforeAll(async () => {
    catalogueOwner = await signIn(ctx);
    catalogueOrg = (await makeOrganizer(ctx, catalogueOwner, 'Catalogue')).id;
    const specs = [
      { title: 'Zebra Jazz Quartet', category: 'music', city: 'Porto', day: 10, tags: ['jazz'] },
      {
        title: 'Kotlin Conference',
        category: 'conference',
        city: 'Berlin',
        day: 12,
        tags: ['programming'],
      },
      { title: 'Jazz Brunch', category: 'food', city: 'Porto', day: 14, tags: ['brunch'] },
      { title: 'Pottery Workshop', category: 'workshop', city: 'porto', day: 16, tags: ['clay'] },
      {
        title: 'Müller Lecture',
        category: 'conference',
        city: 'Zürich',
        day: 18,
        tags: ['physics'],
      },
    ];
    for (const s of specs) {
      await makeEvent(ctx, catalogueOwner, catalogueOrg, {
        publish: true,
        input: {
          title: s.title,
          description: `About ${s.title}.`,
          category: s.category,
          tags: s.tags,
          startsAt: `2030-07-${s.day}T18:00:00Z`,
          endsAt: `2030-07-${s.day}T21:00:00Z`,
          venue: { name: 'Hall', address: '', city: s.city, country: 'PT' },
        },
      });
    }
    await makeEvent(ctx, catalogueOwner, catalogueOrg, {
      input: {
        title: 'Secret Jazz Draft',
        startsAt: '2030-07-11T18:00:00Z',
        endsAt: '2030-07-11T20:00:00Z',
      },
    });
    // Already over by the clock's "now" (2030-03-01): never listed.
    await makeEvent(ctx, catalogueOwner, catalogueOrg, {
      publish: true,
      input: {
        title: 'Past Jazz',
        startsAt: '2030-01-01T18:00:00Z',
        endsAt: '2030-01-01T20:00:00Z',
      },
    });
  });

  const titles = async (query: string) => {
    const res = await call('GET', `/events?limit=100&${query}`);
    expect(res.statusCode).toBe(200);
    // Only this block's organizer: the file's other tests publish events too.
    return res
      .json<{ items: { title: string; organizerId: string }[] }>()
      .items.filter((e) => e.organizerId === catalogueOrg)
      .map((e) => e.title);
  };

  it('searches full text by word prefix, never showing drafts or past events', async () => {
    expect(await titles('q=jazz')).toEqual(['Zebra Jazz Quartet', 'Jazz Brunch']);
    expect(await titles('q=jaz%20bru')).toEqual(['Jazz Brunch']);
    expect(await titles('q=programming')).toEqual(['Kotlin Conference']);
    expect(await titles('q=m%C3%BCller')).toEqual(['Müller Lecture']);
    expect(await titles('q=%27%3B%20DROP%20TABLE%20events%3B--')).toEqual([]);
    expect(await titles('q=%26%7C!%3A*()')).toContain('Zebra Jazz Quartet');
  });

  it('filters by category, city (case-insensitive) and date range', async () => {
    expect(await titles('category=conference')).toEqual(['Kotlin Conference', 'Müller Lecture']);
    expect(await titles('city=PORTO')).toEqual([
      'Zebra Jazz Quartet',
      'Jazz Brunch',
      'Pottery Workshop',
    ]);
    expect(await titles('from=2030-07-13&to=2030-07-16')).toEqual([
      'Jazz Brunch',
      'Pottery Workshop',
    ]);
    expect((await call('GET', '/events?from=yesterday')).statusCode).toBe(400);
    expect((await call('GET', '/events?category=rave')).statusCode).toBe(400);
    expect((await call('GET', '/events?limit=1000')).statusCode).toBe(400);
  });

  it('pages with a stable cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        'GET',
        `/events?city=porto&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const page = res.json<{ items: { title: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((e) => e.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Zebra Jazz Quartet', 'Jazz Brunch', 'Pottery Workshop']);
    expect((await call('GET', '/events?cursor=%7B%22s%22%3A1%7D')).json()).toMatchObject({
      error: 'validation_failed',
    });
  });

  it('finds an event by slug or id and serves it as iCalendar', async () => {
    const list = await call('GET', '/events?q=zebra');
    const zebra = list.json<{ items: TEventBody[] }>().items[0];
    expect(zebra).toBeDefined();
    expect((await call('GET', `/events/${zebra?.slug}`)).json()).toMatchObject({ id: zebra?.id });
    const ics = await call('GET', `/events/${zebra?.id}/calendar.ics`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).toContain('SUMMARY:Zebra Jazz Quartet');
    expect(ics.body).toContain('DTSTART:20300710T180000Z');
    expect((await call('GET', '/events/no-such-event')).statusCode).toBe(404);
    expect((await call('GET', '/events/..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(400);
  });
});
