import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { makeEvent } from '../test/factories';
import { DiscoverPage } from './discover-page';

const firstPage = [
  makeEvent({ id: '00000000-0000-4000-8000-000000000001', slug: 'one', title: 'One' }),
  makeEvent({ id: '00000000-0000-4000-8000-000000000002', slug: 'two', title: 'Two' }),
];
const secondPage = [
  makeEvent({ id: '00000000-0000-4000-8000-000000000003', slug: 'three', title: 'Three' }),
];

/** The events API: two pages joined by a cursor; records every query it gets. */
const queries: URLSearchParams[] = [];
const fakeApi = vi.fn((request: Request) => {
  const url = new URL(request.url);
  queries.push(url.searchParams);
  const isSecond = url.searchParams.get('cursor') === 'page-2';
  const body = isSecond
    ? { items: secondPage, nextCursor: null }
    : { items: firstPage, nextCursor: 'page-2' };
  return Promise.resolve(
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
  );
});

beforeEach(() => {
  queries.length = 0;
  vi.stubGlobal('fetch', fakeApi);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: '/', element: <DiscoverPage /> }], {
    initialEntries: [path],
  });
  render(<RouterProvider router={router} />);
  return router;
}

describe('DiscoverPage', () => {
  test('filters from the URL go to the API and fill the form', async () => {
    renderAt('/?q=jazz&category=music&city=Lisbon&from=2026-12-01&bogus=1');
    await screen.findByRole('link', { name: 'One' });
    const query = queries[0];
    expect(query?.get('q')).toBe('jazz');
    expect(query?.get('category')).toBe('music');
    expect(query?.get('city')).toBe('Lisbon');
    expect(query?.get('from')).toBe('2026-12-01');
    expect(query?.has('to')).toBe(false);
    expect(query?.has('bogus')).toBe(false);
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search' }).value).toBe('jazz');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Category' }).value).toBe(
      'music',
    );
  });

  test('searching writes the filters into the URL', async () => {
    const router = renderAt('/');
    const ui = userEvent.setup();
    await screen.findByRole('link', { name: 'One' });
    await ui.type(screen.getByRole('searchbox', { name: 'Search' }), 'kayak');
    await ui.selectOptions(screen.getByRole('combobox', { name: 'Category' }), 'sports');
    await ui.click(screen.getByRole('button', { name: 'Search' }));
    expect(router.state.location.search).toBe('?q=kayak&category=sports');
    await vi.waitFor(() => expect(queries.at(-1)?.get('q')).toBe('kayak'));
  });

  test('Load more appends the next page using the cursor, then disappears', async () => {
    renderAt('/');
    const ui = userEvent.setup();
    await screen.findByRole('link', { name: 'Two' });
    expect(screen.getByRole('status').textContent).toBe('Showing 2 events.');
    await ui.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Three' });
    expect(queries.at(-1)?.get('cursor')).toBe('page-2');
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Showing 3 events.');
  });
});
