import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { SessionProvider } from '../session/session-context';
import { makeEvent } from '../test/factories';
import { makeOrder, makeTicketType } from '../test/ticketing-factories';
import { TicketSelector } from './ticket-selector';
import { setSignedInHint } from '../test/signed-in-hint';

const event = makeEvent({ startsAt: '2031-12-05T20:00:00.000Z', endsAt: '2031-12-06T00:00:00Z' });
const standard = makeTicketType({ available: 3, maxPerOrder: 4 });
const vip = makeTicketType({
  id: '5b0c1d8e-1f0a-4c3e-9a51-0a0000000002',
  name: 'VIP',
  priceCents: 9950,
  available: 0,
  held: 2,
});
const hidden = makeTicketType({
  id: '5b0c1d8e-1f0a-4c3e-9a51-0a0000000003',
  name: 'Crew',
  hidden: true,
});

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

let isSignedIn = true;
let orderAttempts: { key: string | null; body: unknown }[] = [];
let failNextOrder = false;

const fakeApi = vi.fn(async (request: Request) => {
  const url = new URL(request.url);
  if (url.pathname === '/api/v1/me')
    return isSignedIn
      ? json({ id: 'u1', email: 'ada@example.com', name: 'Ada', isAdmin: false })
      : json({ error: 'unauthorized', message: 'Sign in' }, 401);
  if (url.pathname === `/api/v1/events/${event.id}/ticket-types`)
    return json({ items: [standard, vip, hidden], nextCursor: null });
  if (url.pathname === '/api/v1/orders' && request.method === 'POST') {
    orderAttempts.push({
      key: request.headers.get('idempotency-key'),
      body: JSON.parse(await request.text()),
    });
    if (failNextOrder) {
      failNextOrder = false;
      throw new TypeError('Failed to fetch');
    }
    return json(makeOrder(), 201);
  }
  return json({ error: 'not_found', message: 'Not found.' }, 404);
});

beforeEach(() => {
  isSignedIn = true;
  setSignedInHint();
  orderAttempts = [];
  failNextOrder = false;
  vi.stubGlobal('fetch', fakeApi);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderSelector() {
  const router = createMemoryRouter(
    [
      {
        path: '/events/:slug',
        element: <TicketSelector event={event} initialSelection={{}} />,
      },
      { path: '/checkout/:orderId', element: <p>Checkout page</p> },
      { path: '/sign-in', element: <p>Sign-in page</p> },
    ],
    { initialEntries: [`/events/${event.slug}`] },
  );
  render(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

describe('TicketSelector', () => {
  test('shows visible types with prices; quantities stop at what is left', async () => {
    renderSelector();
    const ui = userEvent.setup();
    await screen.findByRole('heading', { name: 'Standard' });
    expect(screen.queryByRole('heading', { name: 'Crew' })).toBeNull();
    expect(screen.getByText('€25.00')).toBeTruthy();
    expect(screen.getByText('Only 3 left.')).toBeTruthy();

    const add = screen.getByRole('button', { name: 'Add one Standard ticket' });
    const remove = screen.getByRole('button', { name: 'Remove one Standard ticket' });
    expect(remove).toHaveProperty('disabled', true);
    for (let i = 0; i < 5; i += 1) if (!add.hasAttribute('disabled')) await ui.click(add);
    const input = screen.getByRole<HTMLInputElement>('spinbutton', {
      name: 'Number of Standard tickets',
    });
    expect(input.value).toBe('3');
    expect(add).toHaveProperty('disabled', true);
    expect(screen.getByText(/3 tickets, total/).textContent).toBe('3 tickets, total €75.00');

    // Typing past the limit is kept within it too.
    await ui.clear(input);
    await ui.type(input, '9');
    expect(input.value).toBe('3');
  });

  test('a sold-out type says so and offers the waiting list', async () => {
    renderSelector();
    const ui = userEvent.setup();
    const vipItem = (await screen.findByRole('heading', { name: 'VIP' })).closest('li');
    if (!vipItem) throw new Error('no VIP row');
    const row = within(vipItem);
    expect(row.getByText('Sold out')).toBeTruthy();
    expect(row.getByText(/2 held in other checkouts may come back/)).toBeTruthy();
    expect(row.queryByRole('spinbutton')).toBeNull();
    await ui.click(row.getByRole('button', { name: 'Join waiting list for VIP' }));
    expect(row.getByLabelText<HTMLInputElement>('Your e-mail address').value).toBe(
      'ada@example.com',
    );
  });

  test('a retry after a lost answer reuses the Idempotency-Key, then goes to checkout', async () => {
    const router = renderSelector();
    const ui = userEvent.setup();
    await ui.click(await screen.findByRole('button', { name: 'Add one Standard ticket' }));
    await ui.click(screen.getByRole('button', { name: 'Add one Standard ticket' }));
    failNextOrder = true;
    await ui.click(screen.getByRole('button', { name: 'Get tickets' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not reach TickItNow/);

    await ui.click(screen.getByRole('button', { name: 'Get tickets' }));
    await screen.findByText('Checkout page');
    expect(router.state.location.pathname).toBe(`/checkout/${makeOrder().id}`);
    expect(orderAttempts).toHaveLength(2);
    expect(orderAttempts[0]?.key).toMatch(/^[\w-]{16,}$/);
    expect(orderAttempts[1]?.key).toBe(orderAttempts[0]?.key);
    expect(orderAttempts[0]?.body).toEqual({
      eventId: event.id,
      items: [{ ticketTypeId: standard.id, quantity: 2 }],
    });
  });

  test('named tickets go with the order; blank seats before a named one carry the buyer', async () => {
    renderSelector();
    const ui = userEvent.setup();
    const add = await screen.findByRole('button', { name: 'Add one Standard ticket' });
    await ui.click(add);
    await ui.click(add);
    await ui.click(screen.getByText(/Add their names/));
    const second = screen.getByRole('group', { name: 'Ticket 2: Standard' });
    await ui.type(within(second).getByLabelText('Name'), 'Grace Hopper');
    await ui.click(screen.getByRole('button', { name: 'Get tickets' }));
    expect(await within(second).findByText(/valid e-mail/)).toBeTruthy();
    expect(orderAttempts).toHaveLength(0);

    await ui.type(within(second).getByLabelText('E-mail'), 'grace@example.com');
    await ui.click(screen.getByRole('button', { name: 'Get tickets' }));
    await screen.findByText('Checkout page');
    expect(orderAttempts[0]?.body).toMatchObject({
      attendees: [
        { name: 'Ada', email: 'ada@example.com' },
        { name: 'Grace Hopper', email: 'grace@example.com' },
      ],
    });
  });

  test('signed out, "Get tickets" goes to sign in and keeps the selection for the way back', async () => {
    isSignedIn = false;
    const router = renderSelector();
    const ui = userEvent.setup();
    await ui.click(await screen.findByRole('button', { name: 'Add one Standard ticket' }));
    await ui.click(screen.getByRole('button', { name: 'Sign in to get tickets' }));
    await screen.findByText('Sign-in page');
    const next = new URLSearchParams(router.state.location.search).get('next');
    expect(next).toBe(`/events/${event.slug}?select=${encodeURIComponent(`${standard.id}.1`)}`);
    expect(orderAttempts).toHaveLength(0);
  });
});
