import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SessionProvider, useSession } from './session-context';

function WhoIsSignedIn() {
  const { user, isLoading } = useSession();
  if (isLoading) return <p>checking</p>;
  return <p>{user ? `signed in as ${user.email}` : 'signed out'}</p>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('SessionProvider', () => {
  test('opened offline, it asks again when the network is back', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let isOnline = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        isOnline
          ? Promise.resolve(
              new Response(JSON.stringify({ id: 'u1', email: 'staff@example.com', name: 'S' }), {
                status: 200,
                headers: { 'content-type': 'application/json' },
              }),
            )
          : Promise.reject(new TypeError('Failed to fetch')),
      ),
    );
    render(
      <SessionProvider>
        <WhoIsSignedIn />
      </SessionProvider>,
    );
    expect(await screen.findByText('signed out')).toBeTruthy();
    isOnline = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await Promise.resolve();
    });
    expect(await screen.findByText('signed in as staff@example.com')).toBeTruthy();
  });

  test('a 401 means signed out, and coming online does not ask again', async () => {
    const fetchMock = vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify({ error: 'unauthenticated', message: 'Sign in.' }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    render(
      <SessionProvider>
        <WhoIsSignedIn />
      </SessionProvider>,
    );
    expect(await screen.findByText('signed out')).toBeTruthy();
    window.dispatchEvent(new Event('online'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
