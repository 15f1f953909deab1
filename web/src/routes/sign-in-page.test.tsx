import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { SessionProvider } from '../session/session-context';
import { describeSignInError, SignInPage } from './sign-in-page';

const user = {
  id: '3b8a2d9e-1c4f-4f7a-9e0d-2a1b3c4d5e6f',
  email: 'ana@example.com',
  name: '',
  isAdmin: false,
};

function json(status: number, body: unknown) {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A stand-in for the API: signed out, any code request accepted, only 123456 is right. */
const fakeApi = vi.fn(async (request: Request) => {
  const url = new URL(request.url);
  if (url.pathname === '/api/v1/me')
    return json(401, { error: 'unauthenticated', message: 'Sign in to continue.' });
  if (url.pathname === '/api/v1/auth/otp') return json(202, { message: 'sent' });
  if (url.pathname === '/api/v1/auth/session') {
    const body = (await request.json()) as { code: string };
    if (body.code === '123456')
      return json(200, { user, token: 't', expiresAt: '2030-01-01T00:00:00Z' });
    return json(400, {
      error: 'code_invalid',
      message: 'The code is not correct.',
      details: { attemptsLeft: 2 },
    });
  }
  return json(404, { error: 'route_not_found', message: 'No such endpoint.' });
});

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
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/dashboard', element: <h1>Dashboard stub</h1> },
      { path: '/account', element: <h1>Account stub</h1> },
    ],
    { initialEntries: [path] },
  );
  render(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

describe('SignInPage', () => {
  test('goes from e-mail to code, shows a wrong code’s attempts left, then signs in and returns', async () => {
    const router = renderAt('/sign-in?email=ana%40example.com&next=%2Faccount');
    const ui = userEvent.setup();

    const email = screen.getByLabelText<HTMLInputElement>('E-mail address');
    expect(email.value).toBe('ana@example.com');
    expect(screen.queryByLabelText('6-digit code')).toBeNull();
    await ui.click(screen.getByRole('button', { name: 'Send me a code' }));

    const code = await screen.findByLabelText<HTMLInputElement>('6-digit code');
    expect(code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(code.getAttribute('inputmode')).toBe('numeric');
    expect(screen.queryByLabelText('E-mail address')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain(
      'We sent a 6-digit code to ana@example.com',
    );
    expect(document.activeElement).toBe(code);

    const submit = screen.getByRole('button', { name: 'Sign in' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    await ui.type(code, '12a34x5');
    expect(code.value).toBe('12345');
    await ui.type(code, '9');
    await ui.click(submit);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'That code is not right. 2 attempts left.',
    );

    await ui.clear(code);
    await ui.type(code, '123456');
    await ui.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Account stub' });
    expect(router.state.location.pathname).toBe('/account');
    const otpCall = fakeApi.mock.calls.find(([r]) => r.url.endsWith('/api/v1/auth/otp'));
    expect(otpCall?.[0].method).toBe('POST');
  });

  test('a redirect target outside the app is ignored', async () => {
    const router = renderAt('/sign-in?email=ana%40example.com&next=%2F%2Fevil.example');
    const ui = userEvent.setup();
    await ui.click(screen.getByRole('button', { name: 'Send me a code' }));
    await ui.type(await screen.findByLabelText('6-digit code'), '123456');
    await ui.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Dashboard stub' });
    expect(router.state.location.pathname).toBe('/dashboard');
  });
});

describe('describeSignInError', () => {
  test.each([
    [
      new ApiError(400, 'code_invalid', 'x', [], { attemptsLeft: 1 }),
      'That code is not right. 1 attempt left.',
    ],
    [new ApiError(400, 'code_expired', 'x'), 'This code has expired. Send a new code to continue.'],
    [
      new ApiError(400, 'code_locked', 'x'),
      'Too many wrong attempts: this code no longer works. Send a new code.',
    ],
    [
      new ApiError(429, 'rate_limited', 'x', [], { retryAfterSeconds: 600 }),
      'Too many attempts. Try again in 10 minutes.',
    ],
    [
      new ApiError(429, 'rate_limited', 'x', [], { retryAfterSeconds: 30 }),
      'Too many attempts. Try again in 30 seconds.',
    ],
  ])('%s', (error, message) => {
    expect(describeSignInError(error)).toBe(message);
  });
});
