import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { makeImage } from '../support/images.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  eventInput,
  latestCode,
  makeEvent,
  makeOrganizer,
  makeTicketType,
  placeOrder,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';
import {
  buildAccessWorld,
  dataFingerprint,
  diffFingerprints,
  freshData,
  roles,
  type TAccessWorld,
  type TFreshData,
  type TRole,
} from '../support/access-world.js';

/**
 * Every route of the OpenAPI document × every role. The expected outcome of each cell is written
 * below as data; a route of the document without a row fails the test, so a new route cannot
 * ship without someone deciding who may call it.
 *
 * Path parameters always name organizer A's resources (or the attendee's order and ticket).
 * 'allow' means the route's own success (2xx, or a business status listed in `allowAlso`);
 * a number means exactly that status with the JSON error shape. A 400 is never expected: every
 * request is valid, so a refusal can only come from authorization.
 */
type TOutcome = 'allow' | 401 | 403 | 404;
type TRow = readonly [
  TOutcome,
  TOutcome,
  TOutcome,
  TOutcome,
  TOutcome,
  TOutcome,
  TOutcome,
  TOutcome,
];

const A = 'allow';
// Columns: anonymous, attendee, otherAttendee, staff, manager, owner, otherOwner (B), admin.
const anyone: TRow = [A, A, A, A, A, A, A, A];
const signedIn: TRow = [401, A, A, A, A, A, A, A];
/** The organizer-access permission table, as each permission reaches a route. */
const staffAndUp: TRow = [401, 404, 404, A, A, A, 404, A]; // events:read, checkin:scan
const managerAndUp: TRow = [401, 404, 404, 403, A, A, 404, A]; // events:write, reports:read, …
const ownerOnly: TRow = [401, 404, 404, 403, 403, A, 404, A]; // members:manage
/** An order: its buyer and the team with orders:manage; everyone else 404 (staff included). */
const orderHolders: TRow = [401, A, 404, 404, A, A, 404, A];
/** A ticket: its holder and any member of the organizer's team. */
const ticketHolders: TRow = [401, A, 404, A, A, A, 404, A];

const expected: Record<string, TRow> = {
  'POST /api/v1/auth/otp': anyone,
  'POST /api/v1/auth/session': anyone,
  'DELETE /api/v1/auth/session': signedIn,
  'GET /api/v1/me': signedIn,
  'PATCH /api/v1/me': signedIn,
  'POST /api/v1/organizers': signedIn,
  // Organizer A has published an event, so its name is public.
  'GET /api/v1/organizers/{id}': anyone,
  'GET /api/v1/me/organizers': signedIn,
  'GET /api/v1/organizers/{id}/members': managerAndUp,
  'POST /api/v1/organizers/{id}/members': ownerOnly,
  'PATCH /api/v1/organizers/{id}/members/{userId}': ownerOnly,
  'DELETE /api/v1/organizers/{id}/members/{userId}': ownerOnly,
  'POST /api/v1/organizers/{id}/events': managerAndUp,
  'GET /api/v1/organizers/{id}/events': staffAndUp,
  'GET /api/v1/events': anyone,
  'GET /api/v1/events/{id}': anyone,
  'PATCH /api/v1/events/{id}': managerAndUp,
  'POST /api/v1/events/{id}/publish': managerAndUp,
  'POST /api/v1/events/{id}/cancel': managerAndUp,
  'GET /api/v1/events/{id}/calendar.ics': anyone,
  'PUT /api/v1/events/{id}/image': managerAndUp,
  'GET /api/v1/events/{id}/ticket-types': anyone,
  'POST /api/v1/events/{id}/ticket-types': managerAndUp,
  'PATCH /api/v1/ticket-types/{id}': managerAndUp,
  'DELETE /api/v1/ticket-types/{id}': managerAndUp,
  'POST /api/v1/orders': signedIn,
  'GET /api/v1/orders/{id}': orderHolders,
  'POST /api/v1/orders/{id}/pay': orderHolders,
  'POST /api/v1/orders/{id}/cancel': orderHolders,
  'GET /api/v1/me/orders': signedIn,
  'GET /api/v1/events/{id}/orders': managerAndUp,
  'POST /api/v1/waitlist/claim': signedIn,
  'GET /api/v1/tickets/{id}': ticketHolders,
  'GET /api/v1/tickets/{id}/qr': ticketHolders,
  'GET /api/v1/tickets/{id}/pdf': ticketHolders,
  'GET /api/v1/me/tickets': signedIn,
  'POST /api/v1/ticket-types/{id}/waitlist': anyone,
  'POST /api/v1/events/{id}/check-ins': staffAndUp,
  'POST /api/v1/events/{id}/check-ins/sync': staffAndUp,
  'GET /api/v1/events/{id}/scanner-keys': staffAndUp,
  'GET /api/v1/events/{id}/check-ins/stats': staffAndUp,
  'DELETE /api/v1/events/{id}/check-ins/{ticketId}': managerAndUp,
  'GET /api/v1/organizers/{id}/audit-log': managerAndUp,
  'POST /api/v1/subscriptions': anyone,
  'GET /api/v1/subscriptions/confirm': anyone,
  'GET /api/v1/subscriptions/unsubscribe': anyone,
  'POST /api/v1/subscriptions/unsubscribe': anyone,
  'POST /api/v1/events/{id}/announcements': managerAndUp,
  'GET /api/v1/events/{id}/announcements': managerAndUp,
  'POST /api/v1/activity': anyone,
  'GET /api/v1/events/{id}/analytics': managerAndUp,
  'GET /api/v1/events/{id}/attendees': managerAndUp,
  'GET /api/v1/events/{id}/orders.csv': managerAndUp,
  'GET /api/v1/me/calendar.ics': signedIn,
  // Only registered with MAIL_DRIVER=dev-mailbox, which production refuses (see platform tests).
  'GET /api/v1/dev/mailbox': anyone,
  'POST /fn/send-otp': anyone,
  'POST /fn/subscribe': anyone,
  'POST /fn/create-event': managerAndUp,
  'POST /fn/create-ticket': ticketHolders,
  'GET /fn/get-qr-code': ticketHolders,
  'POST /fn/log-activity': anyone,
};

type TCellRequest = Omit<InjectOptions, 'method'> & {
  url: string;
  /** Another session of the caller than the shared one (signing out must not end the shared one). */
  as?: TSignedIn;
};
type TRouteCall = {
  /** Statuses besides 2xx that still mean the call was allowed (documented business outcomes). */
  allowAlso?: number[];
  request: (role: TRole, fresh: TFreshData) => Promise<TCellRequest> | TCellRequest;
};

function routeCalls(
  ctx: TTestContext,
  world: TAccessWorld,
  image: Buffer,
): Record<string, TRouteCall> {
  const { event, organizerA, ticketType, order, ticketId } = world;
  const teamRoles: TRole[] = ['staff', 'manager', 'owner', 'admin'];
  const get = (url: string): TRouteCall => ({ request: () => ({ url }) });
  const post = (url: string, payload: () => unknown): TRouteCall => ({
    request: () => ({ url, payload: payload() as InjectOptions['payload'] }),
  });
  const pngBase64 = image.toString('base64');
  return {
    'POST /api/v1/auth/otp': post('/api/v1/auth/otp', () => ({ email: uniqueEmail('otp') })),
    'POST /api/v1/auth/session': {
      request: async () => {
        const email = uniqueEmail('sign-in');
        await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { email } });
        return {
          url: '/api/v1/auth/session',
          payload: { email, code: await latestCode(ctx, email) },
        };
      },
    },
    'DELETE /api/v1/auth/session': {
      request: async (role, fresh) => ({
        url: '/api/v1/auth/session',
        ...(role === 'anonymous' ? {} : { as: await fresh.sessionOf(role) }),
      }),
    },
    'GET /api/v1/me': get('/api/v1/me'),
    'PATCH /api/v1/me': post('/api/v1/me', () => ({ name: 'Renamed Person' })),
    'POST /api/v1/organizers': post('/api/v1/organizers', () => ({ name: 'Side Project' })),
    'GET /api/v1/organizers/{id}': get(`/api/v1/organizers/${organizerA.id}`),
    'GET /api/v1/me/organizers': get('/api/v1/me/organizers'),
    'GET /api/v1/organizers/{id}/members': get(`/api/v1/organizers/${organizerA.id}/members`),
    'POST /api/v1/organizers/{id}/members': post(
      `/api/v1/organizers/${organizerA.id}/members`,
      () => ({
        email: uniqueEmail('invitee'),
        role: 'staff',
      }),
    ),
    'PATCH /api/v1/organizers/{id}/members/{userId}': {
      request: async (_role, fresh) => ({
        url: `/api/v1/organizers/${organizerA.id}/members/${await fresh.staffMember()}`,
        payload: { role: 'manager' },
      }),
    },
    'DELETE /api/v1/organizers/{id}/members/{userId}': {
      request: async (_role, fresh) => ({
        url: `/api/v1/organizers/${organizerA.id}/members/${await fresh.staffMember()}`,
      }),
    },
    'POST /api/v1/organizers/{id}/events': post(`/api/v1/organizers/${organizerA.id}/events`, () =>
      eventInput(),
    ),
    'GET /api/v1/organizers/{id}/events': get(`/api/v1/organizers/${organizerA.id}/events`),
    'GET /api/v1/events': get('/api/v1/events'),
    'GET /api/v1/events/{id}': get(`/api/v1/events/${event.id}`),
    'PATCH /api/v1/events/{id}': post(`/api/v1/events/${event.id}`, () => ({
      description: 'Doors open at 18:30.',
    })),
    'POST /api/v1/events/{id}/publish': {
      request: async (_role, fresh) => ({
        url: `/api/v1/events/${await fresh.draftEvent()}/publish`,
      }),
    },
    'POST /api/v1/events/{id}/cancel': {
      request: async (_role, fresh) => ({
        url: `/api/v1/events/${await fresh.publishedEvent()}/cancel`,
      }),
    },
    'GET /api/v1/events/{id}/calendar.ics': get(`/api/v1/events/${event.id}/calendar.ics`),
    'PUT /api/v1/events/{id}/image': {
      request: () => ({
        url: `/api/v1/events/${event.id}/image`,
        payload: image,
        headers: { 'content-type': 'image/png' },
      }),
    },
    'GET /api/v1/events/{id}/ticket-types': get(`/api/v1/events/${event.id}/ticket-types`),
    'POST /api/v1/events/{id}/ticket-types': post(
      `/api/v1/events/${event.id}/ticket-types`,
      () => ({
        name: 'Balcony',
        priceCents: 1500,
        currency: 'EUR',
        capacity: 20,
      }),
    ),
    'PATCH /api/v1/ticket-types/{id}': post(`/api/v1/ticket-types/${ticketType.id}`, () => ({
      description: 'Standing room.',
    })),
    'DELETE /api/v1/ticket-types/{id}': {
      request: async (_role, fresh) => ({
        url: `/api/v1/ticket-types/${await fresh.unsoldTicketType()}`,
      }),
    },
    'POST /api/v1/orders': post('/api/v1/orders', () => ({
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
    })),
    'GET /api/v1/orders/{id}': get(`/api/v1/orders/${order.id}`),
    'POST /api/v1/orders/{id}/pay': {
      // The buyer pays by card; the team records money received another way. Who may use
      // which provider is checked in its own test below.
      request: async (role, fresh) => ({
        url: `/api/v1/orders/${await fresh.pendingOrder()}/pay`,
        payload: teamRoles.includes(role)
          ? { provider: 'offline' }
          : { provider: 'test', paymentToken: 'test_ok' },
      }),
    },
    'POST /api/v1/orders/{id}/cancel': {
      request: async (_role, fresh) => ({
        url: `/api/v1/orders/${await fresh.pendingOrder()}/cancel`,
      }),
    },
    'GET /api/v1/me/orders': get('/api/v1/me/orders?limit=100'),
    'GET /api/v1/events/{id}/orders': get(`/api/v1/events/${event.id}/orders`),
    'POST /api/v1/waitlist/claim': {
      request: async (_role, fresh) => ({
        url: '/api/v1/waitlist/claim',
        payload: { token: await fresh.waitlistOffer() },
      }),
    },
    'GET /api/v1/tickets/{id}': get(`/api/v1/tickets/${ticketId}`),
    'GET /api/v1/tickets/{id}/qr': get(`/api/v1/tickets/${ticketId}/qr`),
    'GET /api/v1/tickets/{id}/pdf': get(`/api/v1/tickets/${ticketId}/pdf`),
    'GET /api/v1/me/tickets': get('/api/v1/me/tickets?limit=100'),
    'POST /api/v1/ticket-types/{id}/waitlist': post(
      `/api/v1/ticket-types/${world.soldOutType.id}/waitlist`,
      () => ({ email: uniqueEmail('waiting') }),
    ),
    'POST /api/v1/events/{id}/check-ins': {
      // The first admitted scan is 200; the same ticket again is 409 already_checked_in.
      allowAlso: [409],
      request: () => ({
        url: `/api/v1/events/${event.id}/check-ins`,
        payload: { code: world.scanCode, gate: 'North' },
      }),
    },
    'POST /api/v1/events/{id}/check-ins/sync': post(
      `/api/v1/events/${event.id}/check-ins/sync`,
      () => [{ code: world.scanCode, scannedAt: '2030-03-01T08:59:00Z', deviceId: 'gate-1' }],
    ),
    'GET /api/v1/events/{id}/scanner-keys': get(`/api/v1/events/${event.id}/scanner-keys`),
    'GET /api/v1/events/{id}/check-ins/stats': get(`/api/v1/events/${event.id}/check-ins/stats`),
    'DELETE /api/v1/events/{id}/check-ins/{ticketId}': {
      request: async (_role, fresh) => ({
        url: `/api/v1/events/${event.id}/check-ins/${await fresh.checkedInTicket()}`,
      }),
    },
    'GET /api/v1/organizers/{id}/audit-log': get(`/api/v1/organizers/${organizerA.id}/audit-log`),
    'POST /api/v1/subscriptions': post('/api/v1/subscriptions', () => ({
      email: uniqueEmail('fan'),
      topic: `event:${event.id}`,
    })),
    'GET /api/v1/subscriptions/confirm': {
      request: async (_role, fresh) => ({
        url: '/api/v1/subscriptions/confirm',
        query: { token: await fresh.confirmToken() },
      }),
    },
    'GET /api/v1/subscriptions/unsubscribe': {
      request: (_role, fresh) => ({
        url: '/api/v1/subscriptions/unsubscribe',
        query: { token: fresh.unsubscribeToken() },
      }),
    },
    'POST /api/v1/subscriptions/unsubscribe': {
      // RFC 8058 one-click, as a mail client sends it.
      request: (_role, fresh) => ({
        url: '/api/v1/subscriptions/unsubscribe',
        query: { token: fresh.unsubscribeToken() },
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    },
    'POST /api/v1/events/{id}/announcements': post(
      `/api/v1/events/${event.id}/announcements`,
      () => ({
        subject: 'Doors open earlier',
        body: 'Doors open at 18:30.',
      }),
    ),
    'GET /api/v1/events/{id}/announcements': get(`/api/v1/events/${event.id}/announcements`),
    'POST /api/v1/activity': post('/api/v1/activity', () => ({
      type: 'event_view',
      eventId: event.id,
    })),
    'GET /api/v1/events/{id}/analytics': get(`/api/v1/events/${event.id}/analytics`),
    'GET /api/v1/events/{id}/attendees': get(`/api/v1/events/${event.id}/attendees?format=json`),
    'GET /api/v1/events/{id}/orders.csv': get(`/api/v1/events/${event.id}/orders.csv`),
    'GET /api/v1/me/calendar.ics': get('/api/v1/me/calendar.ics'),
    'GET /api/v1/dev/mailbox': get('/api/v1/dev/mailbox?limit=1'),
    'POST /fn/send-otp': post('/fn/send-otp', () => ({ email: uniqueEmail('fn-otp') })),
    'POST /fn/subscribe': post('/fn/subscribe', () => ({
      email: uniqueEmail('fn-fan'),
      topic: `event:${event.id}`,
    })),
    'POST /fn/create-event': post('/fn/create-event', () => ({
      eventId: event.id,
      image: pngBase64,
    })),
    'POST /fn/create-ticket': post('/fn/create-ticket', () => ({ orderId: order.id })),
    'GET /fn/get-qr-code': get(`/fn/get-qr-code?ticketId=${ticketId}`),
    'POST /fn/log-activity': post('/fn/log-activity', () => ({
      type: 'page_view',
      eventId: event.id,
    })),
  };
}

const authHeaders = (session: TSignedIn | undefined) =>
  session ? { authorization: session.headers.authorization } : {};

type TDocument = { paths: Record<string, Record<string, unknown>> };

/** `GET /api/v1/events/{id}` for every operation of the OpenAPI document, /fn/* included. */
function documentedRoutes(doc: TDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('access-control matrix', () => {
  let ctx: TTestContext;
  let world: TAccessWorld;
  let fresh: TFreshData;
  let calls: Record<string, TRouteCall>;
  let routes: string[];

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await buildAccessWorld(ctx);
    fresh = freshData(ctx, world);
    calls = routeCalls(ctx, world, await makeImage(64, 48));
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    routes = documentedRoutes(res.json<TDocument>());
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Builds the cell's request (creating fresh data if the call consumes it); `send` makes the call. */
  async function prepare(route: string, role: TRole) {
    const spec = calls[route];
    if (!spec) throw new Error(`no request for ${route}`);
    const [method] = route.split(' ') as [InjectOptions['method']];
    const { as, headers, ...request } = await spec.request(role, fresh);
    const session = role === 'anonymous' ? undefined : (as ?? world.sessions[role]);
    return {
      allowAlso: spec.allowAlso ?? [],
      send: () =>
        ctx.app.inject({ method, ...request, headers: { ...headers, ...authHeaders(session) } }),
    };
  }

  it('has an expected row and a request for every route of the document, and no stale rows', () => {
    expect(routes.length).toBeGreaterThan(50);
    // The six Lambda function routes are in the document (tag Functions) and so in the matrix.
    expect(routes.filter((r) => r.includes(' /fn/'))).toHaveLength(6);
    expect(routes.filter((r) => !(r in expected))).toEqual([]);
    expect(routes.filter((r) => !(r in calls))).toEqual([]);
    expect(Object.keys(expected).filter((r) => !routes.includes(r))).toEqual([]);
    expect(Object.keys(calls).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers every route × role as the table says', async () => {
    const mismatches: string[] = [];
    let allowed = 0;
    let denied = 0;
    for (const route of routes) {
      const row = expected[route];
      if (!row) continue; // reported by the test above
      for (const [i, role] of roles.entries()) {
        const want = row[i];
        const { send, allowAlso } = await prepare(route, role);
        if (want === 'allow') {
          const res = await send();
          const status = res.statusCode;
          allowed += 1;
          const isAllowed = (status >= 200 && status < 300) || allowAlso.includes(status);
          if (!isAllowed)
            mismatches.push(
              `${route} as ${role}: want allow, got ${status} ${res.body.slice(0, 200)}`,
            );
          continue;
        }
        denied += 1;
        // A refusal must come before any write: nothing in the database may change.
        const before = await dataFingerprint(ctx);
        const res = await send();
        const status = res.statusCode;
        const changed = diffFingerprints(before, await dataFingerprint(ctx));
        if (changed.length)
          mismatches.push(`${route} as ${role}: refused but changed ${changed.join(', ')}`);
        if (status !== want) {
          mismatches.push(
            `${route} as ${role}: want ${want}, got ${status} ${res.body.slice(0, 200)}`,
          );
          continue;
        }
        const body = res.json<{ error?: unknown; message?: unknown }>();
        if (typeof body.error !== 'string' || typeof body.message !== 'string')
          mismatches.push(
            `${route} as ${role}: ${status} without the JSON error shape: ${res.body}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(allowed + denied).toBe(routes.length * roles.length);
    console.info(
      `access matrix: ${routes.length} routes × ${roles.length} roles = ${allowed + denied} cells checked (${allowed} allowed, ${denied} denied)`,
    );
  });

  it('answers a non-member exactly as it answers for an id that does not exist', async () => {
    const { organizerA, event, draftEvent, ticketType, order, ticketId } = world;
    // [method, url for an id, organizer A's real id, body]
    const probes: [InjectOptions['method'], (id: string) => string, string, unknown?][] = [
      ['GET', (id) => `/api/v1/organizers/${id}/members`, organizerA.id],
      ['GET', (id) => `/api/v1/organizers/${id}/audit-log`, organizerA.id],
      ['GET', (id) => `/api/v1/organizers/${id}/events`, organizerA.id],
      ['GET', (id) => `/api/v1/events/${id}`, draftEvent.id],
      ['GET', (id) => `/api/v1/events/${id}/ticket-types`, draftEvent.id],
      ['PATCH', (id) => `/api/v1/events/${id}`, event.id, { description: 'x' }],
      ['GET', (id) => `/api/v1/events/${id}/orders`, event.id],
      ['GET', (id) => `/api/v1/events/${id}/analytics`, event.id],
      ['GET', (id) => `/api/v1/events/${id}/announcements`, event.id],
      ['GET', (id) => `/api/v1/events/${id}/scanner-keys`, event.id],
      ['POST', (id) => `/api/v1/events/${id}/check-ins`, event.id, { code: world.scanCode }],
      ['PATCH', (id) => `/api/v1/ticket-types/${id}`, ticketType.id, { description: 'x' }],
      ['DELETE', (id) => `/api/v1/ticket-types/${id}`, ticketType.id],
      ['GET', (id) => `/api/v1/orders/${id}`, order.id],
      ['POST', (id) => `/api/v1/orders/${id}/cancel`, order.id],
      ['GET', (id) => `/api/v1/tickets/${id}`, ticketId],
      ['GET', (id) => `/api/v1/tickets/${id}/pdf`, ticketId],
      ['POST', () => '/fn/create-ticket', order.id],
      ['GET', (id) => `/fn/get-qr-code?ticketId=${id}`, ticketId],
    ];
    const outsiders = [world.sessions.otherOwner, world.sessions.otherAttendee];
    const differences: string[] = [];
    for (const [method, url, realId, body] of probes) {
      for (const who of outsiders) {
        const ask = (id: string) => {
          const payload = url(id) === '/fn/create-ticket' ? { orderId: id } : body;
          return ctx.app.inject({
            method,
            url: url(id),
            headers: who.headers,
            ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
          });
        };
        const real = await ask(realId);
        const missing = await ask(fresh.randomId());
        expect(real.statusCode, `${method} ${url(':id')}`).toBe(404);
        if (real.statusCode !== missing.statusCode || real.body !== missing.body)
          differences.push(`${method} ${url(':id')}: ${real.body} vs ${missing.body}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('keeps an organizer that has published nothing unknown to subscribers, as to visitors', async () => {
    // Its page is a 404 to outsiders; a subscription would otherwise confirm it exists and
    // e-mail its name ("news from …") to whoever holds its id.
    const hidden = await makeOrganizer(ctx, world.sessions.otherOwner, 'Stealth Launch');
    const page = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/organizers/${hidden.id}`,
      headers: world.sessions.otherAttendee.headers,
    });
    expect(page.statusCode).toBe(404);
    for (const url of ['/api/v1/subscriptions', '/fn/subscribe']) {
      const subscribe = (id: string) =>
        ctx.app.inject({
          method: 'POST',
          url,
          payload: { email: uniqueEmail('curious'), topic: `organizer:${id}` },
        });
      const real = await subscribe(hidden.id);
      const missing = await subscribe(fresh.randomId());
      expect(real.statusCode, url).toBe(404);
      expect(real.body, url).toBe(missing.body);
    }
    // Once it publishes an event, its news can be followed.
    await makeEvent(ctx, world.sessions.otherOwner, hidden.id, { publish: true });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      payload: { email: uniqueEmail('fan'), topic: `organizer:${hidden.id}` },
    });
    expect(res.statusCode).toBe(202);
  });

  it('refuses ids of another organizer mixed into a request on one’s own organizer', async () => {
    const { owner, otherOwner, otherAttendee } = world.sessions;
    const typeB = await makeTicketType(ctx, otherOwner, world.eventB.id);
    const orderB = await buyTickets(ctx, otherAttendee, world.eventB.id, typeB.id, 1);
    const ticketB = orderB.tickets[0];
    if (!ticketB) throw new Error('no ticket');
    const asOwnerA = (method: InjectOptions['method'], url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    const before = await dataFingerprint(ctx);
    const a = world.organizerA.id;
    expect(
      (
        await asOwnerA('PATCH', `/api/v1/organizers/${a}/members/${otherOwner.userId}`, {
          role: 'staff',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await asOwnerA('DELETE', `/api/v1/organizers/${a}/members/${otherOwner.userId}`)).statusCode,
    ).toBe(404);
    expect(
      (await asOwnerA('DELETE', `/api/v1/events/${world.event.id}/check-ins/${ticketB.id}`))
        .statusCode,
    ).toBe(404);
    expect((await asOwnerA('POST', `/api/v1/orders/${orderB.id}/cancel`)).statusCode).toBe(404);
    expect(
      (await asOwnerA('PATCH', `/api/v1/ticket-types/${typeB.id}`, { capacity: 1 })).statusCode,
    ).toBe(404);
    expect((await asOwnerA('GET', `/api/v1/tickets/${ticketB.id}`)).statusCode).toBe(404);
    expect((await asOwnerA('POST', '/fn/create-ticket', { orderId: orderB.id })).statusCode).toBe(
      404,
    );
    // B's ticket scanned at A's gate is not admitted (and A learns nothing about it).
    const scan = await asOwnerA('POST', `/api/v1/events/${world.event.id}/check-ins`, {
      code: ticketB.code,
    });
    expect(scan.statusCode).toBe(422);
    expect(scan.json<{ result: string; ticket?: unknown }>()).toMatchObject({
      result: 'wrong_event',
    });
    expect(scan.json<{ ticket?: unknown }>().ticket).toBeUndefined();
    // An order for A's event cannot take B's ticket type.
    const mixed = await placeOrder(ctx, owner, {
      eventId: world.event.id,
      items: [{ ticketTypeId: typeB.id, quantity: 1 }],
    });
    expect(mixed.statusCode).toBe(400);
    const changed = diffFingerprints(before, await dataFingerprint(ctx));
    // Only the refused scan is logged (check_ins); nothing of B's changed.
    expect(changed.filter((t) => t !== 'check_ins')).toEqual([]);
  });

  it('takes a member’s access away the moment they are removed or demoted', async () => {
    const { owner } = world.sessions;
    const member = await addMember(ctx, owner, world.organizerA.id, 'manager');
    const orders = () =>
      ctx.app.inject({
        method: 'GET',
        url: `/api/v1/events/${world.event.id}/orders`,
        headers: member.headers,
      });
    expect((await orders()).statusCode).toBe(200);
    const demoted = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizers/${world.organizerA.id}/members/${member.userId}`,
      headers: owner.headers,
      payload: { role: 'staff' },
    });
    expect(demoted.statusCode).toBe(200);
    expect((await orders()).statusCode).toBe(403);
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizers/${world.organizerA.id}/members/${member.userId}`,
      headers: owner.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await orders()).statusCode).toBe(404);
    const scan = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${world.event.id}/scanner-keys`,
      headers: member.headers,
    });
    expect(scan.statusCode).toBe(404);
  });

  it('lists only what is the caller’s own, or public', async () => {
    const { attendee, otherAttendee, otherOwner } = world.sessions;
    const list = async (who: TSignedIn | undefined, url: string) =>
      (await ctx.app.inject({ method: 'GET', url, headers: who ? who.headers : {} }))
        .json<{ items: { id: string }[] }>()
        .items.map((i) => i.id);
    expect(await list(attendee, '/api/v1/me/orders?limit=100')).toContain(world.order.id);
    expect(await list(otherAttendee, '/api/v1/me/orders?limit=100')).not.toContain(world.order.id);
    expect(await list(otherOwner, '/api/v1/me/orders?limit=100')).not.toContain(world.order.id);
    expect(await list(attendee, '/api/v1/me/tickets?limit=100')).toContain(world.ticketId);
    expect(await list(otherAttendee, '/api/v1/me/tickets?limit=100')).not.toContain(world.ticketId);
    expect(await list(otherOwner, '/api/v1/me/organizers')).not.toContain(world.organizerA.id);
    expect(await list(undefined, '/api/v1/events?limit=100')).toContain(world.event.id);
    expect(await list(undefined, '/api/v1/events?limit=100')).not.toContain(world.draftEvent.id);
    expect(await list(otherOwner, '/api/v1/events?limit=100')).not.toContain(world.draftEvent.id);
  });

  it('lets only the buyer pay by card and only the team record an offline payment', async () => {
    const { attendee, manager } = world.sessions;
    const pay = async (who: TSignedIn, payload: Record<string, string>) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${await fresh.pendingOrder()}/pay`,
        headers: who.headers,
        payload,
      });
    expect((await pay(manager, { provider: 'test', paymentToken: 'test_ok' })).statusCode).toBe(
      403,
    );
    expect((await pay(attendee, { provider: 'offline' })).statusCode).toBe(403);
  });
});
