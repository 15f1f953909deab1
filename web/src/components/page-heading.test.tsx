import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { createMemoryRouter, Link, Outlet, RouterProvider } from 'react-router';
import { describe, expect, test } from 'vitest';
import { createRouteFocus, PageHeading, RouteFocusContext } from './page-heading';

function Frame() {
  const [routeFocus] = useState(() => createRouteFocus(document));
  return (
    <RouteFocusContext.Provider value={routeFocus}>
      <nav>
        <Link to="/a">Go to A</Link> <Link to="/b">Go to B</Link>
      </nav>
      <Outlet />
    </RouteFocusContext.Provider>
  );
}

describe('PageHeading', () => {
  test('the first page keeps focus where it is; a navigation moves it to the new heading', async () => {
    const router = createMemoryRouter(
      [
        {
          element: <Frame />,
          children: [
            { path: '/a', element: <PageHeading>Page A</PageHeading> },
            { path: '/b', element: <PageHeading>Page B</PageHeading> },
          ],
        },
      ],
      { initialEntries: ['/a'] },
    );
    render(<RouterProvider router={router} />);
    expect(document.activeElement).toBe(document.body);

    await userEvent.setup().click(screen.getByRole('link', { name: 'Go to B' }));
    const headingB = await screen.findByRole('heading', { level: 1, name: 'Page B' });
    expect(document.activeElement).toBe(headingB);
    expect(headingB.getAttribute('tabindex')).toBe('-1');
  });
});

describe('createRouteFocus', () => {
  const body = {} as Element;

  test('a heading swapped on the same page takes focus only if focus was lost with the old one', () => {
    const doc = { body, activeElement: body as Element | null };
    const focus = createRouteFocus(doc);
    expect(focus.arrive('/x')).toBe(false); // first page of the visit
    expect(focus.arrive('/x')).toBe(false); // same page, no navigation yet
    expect(focus.arrive('/y')).toBe(true); // navigation
    expect(focus.arrive('/y')).toBe(true); // loading heading replaced, focus fell to <body>
    doc.activeElement = {} as Element; // the user moved on, e.g. into a form
    expect(focus.arrive('/y')).toBe(false);
  });
});
