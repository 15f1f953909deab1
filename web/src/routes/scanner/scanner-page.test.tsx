import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { TCheckInStats } from '../../scanner/checkin-types';
import { makeTestEvent } from '../../scanner/test-codes';
import ScannerPage from './scanner-page';

const event = makeTestEvent();
const { refreshedAt: _refreshedAt, ...keys } = event.bundle;
let isServerReachable = true;
const checkIns: unknown[] = [];

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

/** The check-in API of one event, which can be switched off like a lost connection. */
const fakeApi = vi.fn(async (request: Request) => {
  if (!isServerReachable) throw new TypeError('Failed to fetch');
  const { pathname } = new URL(request.url);
  if (pathname.endsWith('/scanner-keys')) return json({ ...keys, isFullList: true });
  if (pathname.endsWith('/check-ins/stats'))
    return json({ total: 10, admitted: 4 } satisfies Partial<TCheckInStats>);
  if (pathname.endsWith('/check-ins')) {
    checkIns.push(await request.json());
    return json({
      result: 'ok',
      message: 'Admitted.',
      ticket: {
        id: '00000000-0000-4000-8000-000000000001',
        ticketTypeId: event.ticketTypeId,
        ticketTypeName: 'General admission',
        attendeeName: 'Ada Lovelace',
        checkedInAt: '2030-06-15T20:00:00.000Z',
      },
    });
  }
  return json({ error: 'route_not_found', message: 'No such endpoint.' }, 404);
});

beforeEach(() => {
  isServerReachable = true;
  checkIns.length = 0;
  localStorage.clear();
  vi.stubGlobal('fetch', fakeApi);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderScanner() {
  const router = createMemoryRouter([{ path: '/scanner/:eventId', element: <ScannerPage /> }], {
    initialEntries: [`/scanner/${event.eventId}`],
  });
  render(<RouterProvider router={router} />);
}

describe('ScannerPage', () => {
  test('shows the server’s admission big and clear, with the gate sent along', async () => {
    localStorage.setItem('tickitnow.scanner.gate', 'North');
    renderScanner();
    await screen.findByText('Harbour Lights Jazz Night');
    await waitFor(() => expect(screen.getByTestId('admitted-count').textContent).toBe('4 / 10'));

    await userEvent.type(screen.getByLabelText('Ticket code'), event.issue().code);
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));

    const result = screen.getByTestId('scan-result');
    await waitFor(() => expect(result.textContent).toContain('Admitted'));
    expect(result.textContent).toContain('Ada Lovelace');
    expect(result.className).toContain('scan-result-ok');
    expect(result.getAttribute('aria-live')).toBe('assertive');
    const sent = checkIns[0] as { gate?: string; deviceId?: string };
    expect(sent.gate).toBe('North');
    expect(sent.deviceId).toMatch(/^device-/);
    expect(screen.getByTestId('device-count').textContent).toBe('1');
  });

  test('when the server is unreachable it checks on the device and queues the scan', async () => {
    renderScanner();
    await screen.findByText('Harbour Lights Jazz Night');
    await waitFor(() => expect(screen.getByTestId('admitted-count').textContent).toBe('4 / 10'));
    isServerReachable = false;

    await userEvent.type(screen.getByLabelText('Ticket code'), event.issue().code);
    await userEvent.click(screen.getByRole('button', { name: 'Check in' }));

    const result = screen.getByTestId('scan-result');
    await waitFor(() => expect(result.textContent).toContain('Admitted'));
    expect(result.textContent).toContain('General admission');
    expect(result.textContent).toContain('Checked offline on this device');
    expect(screen.getByTestId('queue-count').textContent).toBe('1');
    // The counter includes the admission the server has not heard of yet.
    expect(screen.getByTestId('admitted-count').textContent).toBe('5 / 10');
    expect(screen.getByText('1 scan is waiting to sync.')).toBeTruthy();
  });
});
