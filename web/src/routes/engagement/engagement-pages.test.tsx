import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { makeEvent } from '../../test/factories';
import SubscriptionConfirmPage from './subscription-confirm-page';
import UnsubscribePage from './unsubscribe-page';

const event = makeEvent();

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** What the fake API answers for the token endpoints; the event lookup always works. */
let tokenAnswer: () => Promise<Response>;
const fakeApi = vi.fn(async (request: Request) => {
  const url = new URL(request.url);
  if (url.pathname.startsWith('/api/v1/subscriptions/')) return tokenAnswer();
  if (url.pathname === `/api/v1/events/${event.id}`) return json(200, event);
  return json(404, { error: 'not_found', message: 'Not found.' });
});
const tokenCalls = () =>
  fakeApi.mock.calls.filter(([r]) => new URL(r.url).pathname.startsWith('/api/v1/subscriptions/'));

beforeEach(() => {
  vi.stubGlobal('fetch', fakeApi);
});
afterEach(() => {
  vi.unstubAllGlobals();
  fakeApi.mockClear();
});

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/subscriptions/confirm', element: <SubscriptionConfirmPage /> },
      { path: '/unsubscribe', element: <UnsubscribePage /> },
    ],
    { initialEntries: [path] },
  );
  // StrictMode runs effects twice in development: the one-time link must still be used once.
  render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
}

const apiError = (status: number, error: string, message: string) => () =>
  Promise.resolve(json(status, { error, message }));

describe('confirmation page', () => {
  test('confirms once on arrival and names what was subscribed to', async () => {
    tokenAnswer = () =>
      Promise.resolve(
        json(200, { email: 'ana@example.com', topic: `event:${event.id}`, status: 'confirmed' }),
      );
    renderAt('/subscriptions/confirm?token=1.1.signature');

    await screen.findByRole('heading', { level: 1, name: 'Subscription confirmed' });
    expect(
      (await screen.findByText(/will receive updates about Harbour Lights Jazz Night/)).textContent,
    ).toContain('ana@example.com');
    expect(screen.getByRole('link', { name: 'Back to the event' }).getAttribute('href')).toBe(
      `/events/${event.slug}`,
    );
    expect(tokenCalls()).toHaveLength(1);
    expect(new URL(tokenCalls()[0]?.[0].url ?? '').searchParams.get('token')).toBe('1.1.signature');
  });

  test.each([
    [410, 'token_expired', 'This link has expired', /too old/, /fresh link/],
    [409, 'token_used', 'This link was already used', /used before/, /subscribe again/i],
    [400, 'token_invalid', 'This link does not work', /not valid/, /newest confirmation e-mail/],
  ])(
    '%s %s: says so in plain words with what to do next',
    async (status, code, title, explanation, nextStep) => {
      tokenAnswer = apiError(status, code, 'terse server message');
      renderAt('/subscriptions/confirm?token=1.1.signature');

      await screen.findByRole('heading', { level: 1, name: title });
      expect(screen.getByRole('alert').textContent).toMatch(explanation);
      expect(screen.getByRole('heading', { name: 'What you can do' })).toBeTruthy();
      expect(screen.getAllByText(nextStep).length).toBeGreaterThan(0);
      // A bad link is not fixed by trying again.
      expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
      expect(screen.queryByText('terse server message')).toBeNull();
      expect(tokenCalls()).toHaveLength(1);
    },
  );

  test('a link without a token explains itself without calling the API', async () => {
    renderAt('/subscriptions/confirm');
    await screen.findByRole('heading', { level: 1, name: 'This link is incomplete' });
    expect(tokenCalls()).toHaveLength(0);
  });

  test('a network failure offers to try again, which then works', async () => {
    tokenAnswer = () => Promise.reject(new TypeError('Failed to fetch'));
    renderAt('/subscriptions/confirm?token=1.1.signature');
    await screen.findByRole('heading', { level: 1, name: 'We could not reach TickItNow' });

    tokenAnswer = () =>
      Promise.resolve(json(200, { email: 'ana@example.com', topic: 'newsletter', status: 'x' }));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { level: 1, name: 'Subscription confirmed' });
    expect(screen.getByText(/will receive the TickItNow newsletter/)).toBeTruthy();
    expect(tokenCalls()).toHaveLength(2);
  });
});

describe('unsubscribe page', () => {
  test('unsubscribes in one click, on arrival', async () => {
    tokenAnswer = () =>
      Promise.resolve(
        json(200, { email: 'ana@example.com', topic: `event:${event.id}`, status: 'unsubscribed' }),
      );
    renderAt('/unsubscribe?token=abc.signature');

    await screen.findByRole('heading', { level: 1, name: 'You are unsubscribed' });
    expect(
      (await screen.findByText(/will no longer receive updates about Harbour Lights Jazz Night/))
        .textContent,
    ).toContain('ana@example.com');
    expect(screen.queryByRole('button')).toBeNull();
    expect(tokenCalls()).toHaveLength(1);
  });

  test('names the topic generically when it cannot be looked up', async () => {
    tokenAnswer = () =>
      Promise.resolve(
        json(200, {
          email: 'ana@example.com',
          topic: 'organizer:0a25008e-b57a-41f9-9f39-3b27df5b4fa4',
          status: 'unsubscribed',
        }),
      );
    renderAt('/unsubscribe?token=abc.signature');
    await screen.findByText(/will no longer receive news from this organizer/);
  });

  test('an invalid link changes nothing and says how else to stop the e-mails', async () => {
    tokenAnswer = apiError(400, 'token_invalid', 'This link is not valid.');
    renderAt('/unsubscribe?token=damaged');
    await screen.findByRole('heading', {
      level: 1,
      name: 'This unsubscribe link does not work',
    });
    expect(screen.getByRole('alert').textContent).toMatch(/Nothing has changed/);
    expect(screen.getByText(/contact the organizer/)).toBeTruthy();
  });

  test('a server error is ours, and can be retried', async () => {
    tokenAnswer = () => Promise.resolve(new Response('oops', { status: 503 }));
    renderAt('/unsubscribe?token=abc.signature');
    await screen.findByRole('heading', { level: 1, name: 'Something went wrong on our side' });
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
