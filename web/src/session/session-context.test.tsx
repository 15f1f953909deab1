import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SessionProvider, useSession } from './session-context';
import { hasSignedInHint } from './signed-in-hint';
import { setSignedInHint } from '../test/signed-in-hint';

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
  test('without the signed-in hint the visitor is signed out at once, and nothing is asked', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(
      <SessionProvider>
        <WhoIsSignedIn />
      </SessionProvider>,
    );
    expect(screen.getByText('signed out')).toBeTruthy();
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await Promise.resolve();
    });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  test('opened offline, it asks again when the network is back', async () => {
    setSignedInHint();
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

  test('with the hint, a 401 means signed out: the hint is dropped and coming online does not ask again', async () => {
    const fetchMock = vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify({ error: 'unauthenticated', message: 'Sign in.' }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    setSignedInHint();
    render(
      <SessionProvider>
        <WhoIsSignedIn />
      </SessionProvider>,
    );
    expect(await screen.findByText('signed out')).toBeTruthy();
    window.dispatchEvent(new Event('online'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // The expired session's hint is gone: the next page load asks nothing.
    expect(hasSignedInHint()).toBe(false);
  });
});
