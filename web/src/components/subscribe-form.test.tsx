import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DevMailboxProvider } from '../lib/dev-mailbox-context';
import { SessionProvider } from '../session/session-context';
import { SubscribeForm } from './subscribe-form';
import { setSignedInHint } from '../test/signed-in-hint';

const user = { id: '3b8a2d9e-1c4f-4f7a-9e0d-2a1b3c4d5e6f', email: 'ana@example.com', name: '' };
let isSignedIn = true;
const subscribed: unknown[] = [];

function json(status: number, body: unknown) {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const fakeApi = vi.fn(async (request: Request) => {
  const url = new URL(request.url);
  if (url.pathname === '/api/v1/me')
    return isSignedIn ? json(200, user) : json(401, { error: 'unauthenticated', message: 'x' });
  if (url.pathname === '/api/v1/dev/mailbox') return json(200, []);
  if (url.pathname === '/api/v1/subscriptions') {
    const body = (await request.json()) as { email: string };
    if (!body.email.includes('@'))
      return json(400, {
        error: 'validation_failed',
        message: 'The request is not valid.',
        details: { issues: [{ path: ['email'], message: 'Invalid email address' }] },
      });
    subscribed.push(body);
    return json(202, null);
  }
  return json(404, { error: 'not_found', message: 'Not found.' });
});

beforeEach(() => {
  vi.stubGlobal('fetch', fakeApi);
  subscribed.length = 0;
  isSignedIn = true;
  setSignedInHint();
});
afterEach(() => {
  vi.unstubAllGlobals();
  fakeApi.mockClear();
});

function renderForm() {
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: (
          <SubscribeForm
            topic="organizer:0a25008e-b57a-41f9-9f39-3b27df5b4fa4"
            buttonLabel="Follow Demo"
            description="Hear about new events."
          />
        ),
      },
    ],
    { initialEntries: ['/'] },
  );
  render(
    <SessionProvider>
      <DevMailboxProvider>
        <RouterProvider router={router} />
      </DevMailboxProvider>
    </SessionProvider>,
  );
}

describe('SubscribeForm', () => {
  test('prefills the signed-in address and answers neutrally, pointing at the dev mailbox', async () => {
    renderForm();
    const ui = userEvent.setup();
    const follow = screen.getByRole('button', { name: 'Follow Demo' });
    expect(follow.getAttribute('aria-expanded')).toBe('false');
    await ui.click(follow);

    const email = await screen.findByLabelText<HTMLInputElement>('E-mail for updates');
    await vi.waitFor(() => expect(email.value).toBe('ana@example.com'));
    await ui.click(screen.getByRole('button', { name: 'Subscribe' }));

    const answer = await screen.findByText(/Check your inbox/);
    const status = answer.closest('[role="status"]');
    expect(status?.textContent).toContain('If ana@example.com still needs to confirm');
    expect(status?.textContent).not.toMatch(/already/i);
    expect(screen.getByRole('link', { name: 'dev mailbox' }).getAttribute('href')).toBe(
      '/dev/mailbox?to=ana%40example.com',
    );
    expect(subscribed).toEqual([
      { email: 'ana@example.com', topic: 'organizer:0a25008e-b57a-41f9-9f39-3b27df5b4fa4' },
    ]);
    expect(screen.queryByLabelText('E-mail for updates')).toBeNull();
  });

  test('shows a bad address beside the field and sends nothing', async () => {
    isSignedIn = false;
    renderForm();
    const ui = userEvent.setup();
    await ui.click(screen.getByRole('button', { name: 'Follow Demo' }));
    const email = screen.getByLabelText<HTMLInputElement>('E-mail for updates');
    expect(email.value).toBe('');
    await ui.type(email, 'not-an-address');
    await ui.click(screen.getByRole('button', { name: 'Subscribe' }));

    await screen.findByText('Enter an e-mail address like name@example.com.');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(subscribed).toEqual([]);
  });
});
