import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { TOrder } from '../../api/ticketing';
import { HoldCountdown } from '../../components/hold-countdown';
import { SessionProvider } from '../../session/session-context';
import { makeOrder } from '../../test/ticketing-factories';
import CheckoutPage from './checkout-page';
import { setSignedInHint } from '../../test/signed-in-hint';

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

let order: TOrder = makeOrder();
const payments: unknown[] = [];

const fakeApi = vi.fn(async (request: Request) => {
  const url = new URL(request.url);
  if (url.pathname === '/api/v1/me')
    return json({ id: 'u1', email: 'ada@example.com', name: 'Ada', isAdmin: false });
  if (url.pathname === `/api/v1/orders/${order.id}`) return json(order);
  if (url.pathname === `/api/v1/orders/${order.id}/pay`) {
    const body = (await request.json()) as { paymentToken: string };
    payments.push(body);
    if (body.paymentToken === 'test_declined')
      return json(
        {
          error: 'payment_declined',
          message: 'The payment was declined.',
          details: { reason: 'card_declined' },
        },
        402,
      );
    return json({ ...order, status: 'paid', paidAt: new Date().toISOString() });
  }
  return json({ error: 'not_found', message: 'Not found.' }, 404);
});

beforeEach(() => {
  order = makeOrder();
  payments.length = 0;
  setSignedInHint();
  vi.stubGlobal('fetch', fakeApi);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderCheckout() {
  const router = createMemoryRouter(
    [
      { path: '/checkout/:orderId', element: <CheckoutPage /> },
      { path: '/orders/:id', element: <p>Order page</p> },
    ],
    { initialEntries: [`/checkout/${order.id}`] },
  );
  render(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

describe('CheckoutPage', () => {
  test('shows the order, the hold and the test cards; a declined card says so plainly', async () => {
    const router = renderCheckout();
    const ui = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Your order' });
    expect(screen.getByRole('rowheader', { name: 'Standard' })).toBeTruthy();
    expect(screen.getByRole('timer').textContent).toMatch(/^(10:00|9:5\d)$/);

    await ui.click(screen.getByRole('radio', { name: /Test card — declined/ }));
    await ui.click(screen.getByRole('button', { name: 'Pay €50.00' }));
    await screen.findByText('Your card was declined. Nothing was charged: try another card.');
    expect(
      screen
        .getAllByRole('alert')
        .map((a) => a.textContent)
        .filter(Boolean),
    ).toEqual(['Your card was declined. Nothing was charged: try another card.']);
    expect(router.state.location.pathname).toBe(`/checkout/${order.id}`);

    await ui.click(screen.getByRole('radio', { name: /Test card — succeeds/ }));
    await ui.click(screen.getByRole('button', { name: 'Pay €50.00' }));
    await screen.findByText('Order page');
    expect(payments).toEqual([
      { provider: 'test', paymentToken: 'test_declined' },
      { provider: 'test', paymentToken: 'test_ok' },
    ]);
  });

  test('a lapsed hold shows the expired state and the way back', async () => {
    order = makeOrder({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    renderCheckout();
    await screen.findByRole('heading', { name: 'Time is up' });
    expect(screen.queryByRole('button', { name: /^Pay/ })).toBeNull();
    expect(screen.getByRole('link', { name: 'Choose tickets again' }).getAttribute('href')).toBe(
      `/events/${order.event.slug}`,
    );
  });

  test('a paid order goes to its confirmation', async () => {
    order = makeOrder({ status: 'paid' });
    renderCheckout();
    await screen.findByText('Order page');
  });
});

describe('HoldCountdown', () => {
  test('announces once, in words, when less than a minute is left', () => {
    const { rerender } = render(<HoldCountdown remaining={125_000} />);
    expect(screen.getByRole('timer').textContent).toBe('2:05');
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('2 minutes 5 seconds left');
    expect(screen.getByRole('status').textContent).toBe('');
    rerender(<HoldCountdown remaining={59_000} />);
    expect(screen.getByRole('status').textContent).toMatch(/Less than one minute left/);
  });
});
