import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  apiWrite,
  baseUrl,
  launchBrowser,
  newContext,
  seriousAxeViolations,
  signInThroughApi,
  uniqueEmail,
  watchPageProblems,
} from './support';

type TTicket = { id: string; code: string; attendeeName: string };
type TStats = { admitted: number; total: number };

/** A phone in portrait, the way door staff hold it. */
const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/**
 * A video file for Chromium's fake camera (raw YUV 4:2:0, grey) showing `png` — a ticket's QR
 * code — held up in the middle of a 640×480 frame. The pixels come from the browser itself.
 */
async function qrCameraVideo(context: BrowserContext, png: Buffer): Promise<string> {
  const page = await context.newPage();
  const luma = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no canvas');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 640, 480);
    g.imageSmoothingEnabled = false;
    g.drawImage(image, 100, 20, 440, 440);
    const rgba = g.getImageData(0, 0, 640, 480).data;
    let y = '';
    for (let i = 0; i < rgba.length; i += 4)
      y += String.fromCharCode(
        Math.round(
          0.299 * (rgba[i] ?? 0) + 0.587 * (rgba[i + 1] ?? 0) + 0.114 * (rgba[i + 2] ?? 0),
        ),
      );
    return btoa(y);
  }, png.toString('base64'));
  await page.close();
  const frame = Buffer.concat([
    Buffer.from('FRAME\n'),
    Buffer.from(luma, 'base64'),
    Buffer.alloc((640 * 480) / 2, 128), // U and V planes: no colour
  ]);
  const file = path.join(os.tmpdir(), `tin-qr-camera-${process.pid}-${Date.now()}.y4m`);
  await writeFile(
    file,
    Buffer.concat([Buffer.from('YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n'), frame, frame]),
  );
  return file;
}

/** The same code with one character of its signature changed. */
function tamper(code: string): string {
  const at = code.length - 5;
  return code.slice(0, at) + (code[at] === 'A' ? 'B' : 'A') + code.slice(at + 1);
}

describe('the door scanner, online and offline', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let attendee: BrowserContext;
  let otherGate: BrowserContext;
  let page: Page;
  let problems: string[] = [];
  let eventId = '';
  let tickets: TTicket[] = [];
  const qrPngs = new Map<string, Buffer>();
  const organizerEmail = uniqueEmail('door-organizer');
  const eventTitle = `Harbour Night Market ${Math.random().toString(36).slice(2, 8)}`;

  /** The check-in numbers as the server counts them. */
  async function serverStats(): Promise<TStats> {
    const response = await otherGate.request.get(`/api/v1/events/${eventId}/check-ins/stats`);
    expect(response.status()).toBe(200);
    return (await response.json()) as TStats;
  }

  const result = () => page.getByTestId('scan-result');
  const scanPhoto = (ticket: TTicket) =>
    page.getByLabel('Scan from photo').setInputFiles({
      name: `ticket-${ticket.id}.png`,
      mimeType: 'image/png',
      buffer: qrPngs.get(ticket.id) ?? Buffer.alloc(0),
    });

  beforeAll(async () => {
    browser = await launchBrowser();
    organizer = await newContext(browser, phone);
    attendee = await newContext(browser);
    otherGate = await newContext(browser);
    await signInThroughApi(organizer, organizerEmail);
    await signInThroughApi(otherGate, organizerEmail);
    await signInThroughApi(attendee, uniqueEmail('door-attendee'));

    // An organizer with a published event and a free ticket type.
    const org = await apiWrite<{ id: string }>(
      organizer,
      'POST',
      '/api/v1/organizers',
      { name: 'Harbour Markets' },
      201,
    );
    const event = await apiWrite<{ id: string }>(
      organizer,
      'POST',
      `/api/v1/organizers/${org.id}/events`,
      {
        title: eventTitle,
        category: 'food',
        startsAt: '2030-07-04T17:00:00.000Z',
        endsAt: '2030-07-04T23:00:00.000Z',
        timezone: 'Europe/Lisbon',
        venue: { name: 'Pier 4', city: 'Lisbon', country: 'PT' },
      },
      201,
    );
    eventId = event.id;
    const ticketType = await apiWrite<{ id: string }>(
      organizer,
      'POST',
      `/api/v1/events/${eventId}/ticket-types`,
      { name: 'Market entry', priceCents: 0, currency: 'EUR', capacity: 50 },
      201,
    );
    await apiWrite(organizer, 'POST', `/api/v1/events/${eventId}/publish`, {}, 200);

    // An attendee takes four free tickets: the order is paid at once.
    const order = await apiWrite<{ status: string; tickets: TTicket[] }>(
      attendee,
      'POST',
      '/api/v1/orders',
      {
        eventId,
        items: [{ ticketTypeId: ticketType.id, quantity: 4 }],
        attendees: [
          { name: 'Ada Lovelace', email: uniqueEmail('ada') },
          { name: 'Grace Hopper', email: uniqueEmail('grace') },
          { name: 'Katherine Johnson', email: uniqueEmail('katherine') },
          { name: 'Mary Jackson', email: uniqueEmail('mary') },
        ],
      },
      201,
    );
    expect(order.status).toBe('paid');
    tickets = order.tickets;
    expect(tickets).toHaveLength(4);

    // Each ticket's QR code as the attendee gets it: a PNG behind a signed URL.
    for (const ticket of tickets) {
      const signed = await attendee.request.get(`/api/v1/tickets/${ticket.id}/qr`);
      expect(signed.status()).toBe(200);
      const { url } = (await signed.json()) as { url: string };
      const png = await attendee.request.get(new URL(url, baseUrl).toString());
      expect(png.headers()['content-type']).toBe('image/png');
      qrPngs.set(ticket.id, await png.body());
    }
  });

  afterAll(async () => {
    await organizer?.close();
    await attendee?.close();
    await otherGate?.close();
    await browser?.close();
  });

  test('staff find the scanner from the organizer dashboard', async () => {
    page = await organizer.newPage();
    problems = watchPageProblems(page);
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Harbour Markets' }).click();
    await page.getByRole('link', { name: `Scan tickets for ${eventTitle}` }).click();
    await page.waitForURL(`**/scanner/${eventId}`);
    await page.getByRole('heading', { level: 1, name: 'Scanner' }).waitFor();
    await page.getByText(eventTitle).waitFor();
    // The service worker installs during this online visit and keeps the app shell and every
    // script and style this page loaded (the scanner's own chunks included), but no API answer.
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const assets = performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name))
        .filter((url) => url.origin === location.origin && url.pathname.startsWith('/assets/'));
      const isCached = async (path: string) => (await caches.match(path)) !== undefined;
      return {
        shell: await isCached('/index.html'),
        assets: assets.length,
        missing: (
          await Promise.all(
            assets.map(async (url) => ((await isCached(url.pathname)) ? [] : [url])),
          )
        ).flat(),
        api: (
          await Promise.all(
            ['/api/v1/me', `/api/v1/events/${location.pathname.split('/')[2]}/scanner-keys`].map(
              isCached,
            ),
          )
        ).some(Boolean),
      };
    });
    expect(cached.shell).toBe(true);
    expect(cached.assets).toBeGreaterThan(2);
    expect(cached.missing).toEqual([]);
    expect(cached.api).toBe(false);
  });

  test('online: green for a valid ticket, amber when it comes again, red for a forged code', async () => {
    const [first] = tickets;
    if (!first) throw new Error('no ticket');
    await page.getByText('Gate and device').click();
    await page.getByLabel('Gate', { exact: true }).fill('North');

    await scanPhoto(first);
    await result().getByText('Admitted').waitFor();
    expect(await result().getAttribute('class')).toContain('scan-result-ok');
    expect(await result().textContent()).toContain('Ada Lovelace');
    expect(await result().textContent()).toContain('Market entry');
    expect(await result().textContent()).not.toContain('offline');

    await scanPhoto(first);
    await result().getByText('Already checked in').waitFor();
    expect(await result().getAttribute('class')).toContain('scan-result-warn');
    expect(await result().textContent()).toMatch(/First admitted at .*gate North/);

    await page.getByLabel('Ticket code').fill(tamper(first.code));
    await page.getByRole('button', { name: 'Check in' }).click();
    await result().getByText('Invalid ticket').waitFor();
    expect(await result().getAttribute('class')).toContain('scan-result-bad');

    await expect.poll(() => page.getByTestId('admitted-count').textContent()).toMatch(/^1\b/);
    expect(await page.getByTestId('device-count').textContent()).toBe('3');
    expect(problems).toEqual([]);
  });

  test('offline: admits on the device, queues durably, survives a reload, then syncs and reconciles', async () => {
    const [, second, third] = tickets;
    if (!second || !third) throw new Error('no tickets');
    await organizer.setOffline(true);
    await page.getByText('Offline', { exact: true }).waitFor();

    await scanPhoto(second);
    await result().getByText('Admitted').waitFor();
    expect(await result().textContent()).toContain('Checked offline on this device');
    expect(await result().textContent()).toContain('Market entry');
    // Offline, the same ticket again is caught by the device itself.
    await scanPhoto(second);
    await result().getByText('Already checked in').waitFor();
    // Another gate, online, lets the third ticket in while this one cannot know.
    const elsewhere = await otherGate.request.post(`/api/v1/events/${eventId}/check-ins`, {
      data: { code: third.code, gate: 'South', deviceId: 'south-phone' },
      headers: { origin: baseUrl },
    });
    expect(elsewhere.status()).toBe(200);
    await page.getByLabel('Ticket code').fill(third.code);
    await page.getByRole('button', { name: 'Check in' }).click();
    await result().getByText('Admitted').waitFor();
    expect(await page.getByTestId('queue-count').textContent()).toBe('3');
    await page.getByText('3 scans are waiting to sync').waitFor();

    // The page comes back with no network: the service worker has the app, IndexedDB the queue.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Scanner' }).waitFor();
    await page.getByText(eventTitle).waitFor();
    expect(await page.getByTestId('queue-count').textContent()).toBe('3');
    await page.getByText('Offline', { exact: true }).waitFor();

    // Back online: the queue uploads by itself, and the counter agrees with the server.
    await organizer.setOffline(false);
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe('0');
    await page.getByText('All scans are synced.').waitFor();
    const synced = page.getByRole('list', { name: 'Synced scans' });
    await synced
      .getByText(/Duplicate — another device admitted this ticket first \(.*, gate South\)/)
      .waitFor();
    await page.getByRole('heading', { name: 'Synced — 1 conflict' }).waitFor();
    const stats = await serverStats();
    expect(stats.admitted).toBe(3);
    await expect
      .poll(() => page.getByTestId('admitted-count').textContent())
      .toBe(`${stats.admitted} / ${stats.total}`);
    expect(problems).toEqual([]);
  });

  test('the scanner has no serious accessibility problems', async () => {
    // axe is injected as an inline script, which the CSP would block: a separate context.
    const audit = await newContext(browser, { ...phone, bypassCSP: true });
    await signInThroughApi(audit, organizerEmail);
    const auditPage = await audit.newPage();
    await auditPage.goto(`/scanner/${eventId}`);
    await auditPage.getByText(eventTitle).waitFor();
    await auditPage.getByLabel('Ticket code').fill('not a ticket');
    await auditPage.getByRole('button', { name: 'Check in' }).click();
    await auditPage.getByTestId('scan-result').getByText('Invalid ticket').waitFor();
    expect(await seriousAxeViolations(auditPage)).toEqual([]);
    await audit.close();
  });

  test('the camera reads a QR code held up to it, once', async () => {
    const fourth = tickets[3];
    if (!fourth) throw new Error('no ticket');
    const video = await qrCameraVideo(attendee, qrPngs.get(fourth.id) ?? Buffer.alloc(0));
    // Chromium's fake camera plays the file.
    const cameraBrowser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const context = await newContext(cameraBrowser, { ...phone, permissions: ['camera'] });
      await signInThroughApi(context, organizerEmail);
      const cameraPage = await context.newPage();
      const cameraProblems = watchPageProblems(cameraPage);
      await cameraPage.goto(`/scanner/${eventId}`);
      await cameraPage.getByText(eventTitle).waitFor();
      await cameraPage.getByRole('button', { name: 'Start camera' }).click();
      const cameraResult = cameraPage.getByTestId('scan-result');
      await cameraResult.getByText('Admitted').waitFor();
      expect(await cameraResult.textContent()).toContain('Mary Jackson');
      // The code stays in view, yet it is handled once: no "already checked in" flashes up.
      await cameraPage.waitForTimeout(3_000);
      expect(await cameraPage.getByTestId('device-count').textContent()).toBe('1');
      expect(await cameraResult.textContent()).toContain('Admitted');
      await cameraPage.getByRole('button', { name: 'Stop camera' }).click();
      await cameraPage.getByRole('button', { name: 'Start camera' }).waitFor();
      expect(cameraProblems).toEqual([]);
    } finally {
      await cameraBrowser.close();
      await rm(video, { force: true });
    }
  });
});
