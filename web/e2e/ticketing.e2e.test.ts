import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  apiWrite,
  baseUrl,
  launchBrowser,
  newContext,
  readSignInCode,
  seriousAxeViolations,
  signInThroughApi,
  uniqueEmail,
  watchPageProblems,
} from './support';

type TCreated = { id: string; slug: string };
type TMail = {
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; size: number; url: string | null }[];
};
type TTicket = { id: string; code: string; attendeeName: string };

/** The newest mail to `email` whose subject matches, polled briefly: mail is sent by a job. */
async function waitForMail(email: string, subject: RegExp): Promise<TMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(
      `${baseUrl}/api/v1/dev/mailbox?to=${encodeURIComponent(email)}&limit=20`,
    );
    expect(response.status).toBe(200);
    const mail = ((await response.json()) as TMail[]).find((m) => subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No mail matching ${String(subject)} for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Reads a loaded <img> back through a canvas and decodes it as a QR code in Node. */
async function decodeQrImage(page: Page, index: number): Promise<string | null> {
  const pixels = await page.evaluate((i) => {
    const image = document.querySelectorAll<HTMLImageElement>('img.qr-image')[i];
    if (!image) throw new Error('no QR image');
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: data.width, height: data.height, data: Array.from(data.data) };
  }, index);
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data ?? null;
}

describe('buying tickets: a new visitor pays by test card and gets working QR codes', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let buyer: BrowserContext;
  let event: TCreated = { id: '', slug: '' };
  let orderUrl = '';
  const organizerEmail = uniqueEmail('box-office');
  const buyerEmail = uniqueEmail('buyer');
  const eventTitle = `Lantern Festival ${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    organizer = await newContext(browser, { bypassCSP: true });
    await signInThroughApi(organizer, organizerEmail);
    const org = await apiWrite<TCreated>(
      organizer,
      'POST',
      '/api/v1/organizers',
      { name: 'Lantern Society' },
      201,
    );
    event = await apiWrite<TCreated>(
      organizer,
      'POST',
      `/api/v1/organizers/${org.id}/events`,
      {
        title: eventTitle,
        description: 'Lanterns on the river.',
        category: 'festival',
        tags: ['lanterns'],
        startsAt: '2031-09-12T19:00:00+02:00',
        endsAt: '2031-09-12T23:00:00+02:00',
        timezone: 'Europe/Berlin',
        venue: { name: 'River Park', address: 'Ufer 1', city: 'Berlin', country: 'DE' },
      },
      201,
    );
    await apiWrite(
      organizer,
      'POST',
      `/api/v1/events/${event.id}/ticket-types`,
      { name: 'Standard', priceCents: 2500, currency: 'EUR', capacity: 20, maxPerOrder: 4 },
      201,
    );
    await apiWrite(organizer, 'POST', `/api/v1/events/${event.id}/publish`, undefined, 200);
  });
  afterAll(async () => {
    await buyer?.close();
    await organizer?.close();
    await browser?.close();
  });

  test('choose two tickets, sign in with the mailed code, survive a declined card, pay', async () => {
    buyer = await newContext(browser);
    const page = await buyer.newPage();
    const problems = watchPageProblems(page);

    await page.goto(`/events/${event.slug}`);
    await page.getByRole('heading', { level: 1, name: eventTitle }).waitFor();
    const tickets = page.getByRole('region', { name: 'Tickets' });
    await tickets.getByRole('heading', { name: 'Standard' }).waitFor();
    expect(await tickets.getByText('€25.00').isVisible()).toBe(true);
    const add = tickets.getByRole('button', { name: 'Add one Standard ticket' });
    await add.click();
    await add.click();
    await tickets.getByText('2 tickets, total €50.00').waitFor();

    // Signed out: sign in by e-mail code and come back with the selection kept.
    await tickets.getByRole('button', { name: 'Sign in to get tickets' }).click();
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('E-mail address').fill(buyerEmail);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').fill(await readSignInCode(buyerEmail));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/events/${event.slug}`);
    await tickets.getByText('2 tickets, total €50.00').waitFor();
    expect(await page.getByRole('link', { name: 'My tickets' }).isVisible()).toBe(true);

    await tickets.getByRole('button', { name: 'Get tickets' }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    expect(await page.getByRole('timer').textContent()).toMatch(/^\d{1,2}:\d{2}$/);
    expect(await page.getByRole('rowheader', { name: 'Standard' }).isVisible()).toBe(true);

    // A declined card: a clear message, the order still waits for payment.
    await page.getByRole('radio', { name: /Test card — declined/ }).check();
    await page.getByRole('button', { name: 'Pay €50.00' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Your card was declined. Nothing was charged' })
      .waitFor();
    expect(page.url()).toMatch(/\/checkout\//);

    await page.getByRole('radio', { name: /Test card — succeeds/ }).check();
    await page.getByRole('button', { name: 'Pay €50.00' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
    await page.getByRole('heading', { level: 1, name: 'Order confirmed' }).waitFor();
    await page.getByText(`We are e-mailing your tickets to ${buyerEmail}`).waitFor();
    expect(await page.locator('.badge-order-paid').textContent()).toBe('Paid');
    expect(await page.locator('.order-ticket-list li').count()).toBe(2);
    expect(
      await page.getByRole('link', { name: 'dev mailbox', exact: true }).getAttribute('href'),
    ).toBe(`/dev/mailbox?to=${encodeURIComponent(buyerEmail)}`);
    orderUrl = page.url();
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the order e-mail arrives with the tickets attached as a PDF', async () => {
    expect(orderUrl, 'the previous test pays the order').not.toBe('');
    const mail = await waitForMail(buyerEmail, /^Your tickets:/);
    expect(mail.subject).toBe(`Your tickets: ${eventTitle}`);
    expect(mail.text).toContain(`${baseUrl}/tickets`);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`tickets-${event.slug}.pdf`);
    expect(pdf?.url).toBeTruthy();
    const download = await fetch(new URL(pdf?.url ?? '', baseUrl));
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  test('My tickets shows both QR codes; they load and decode to the ticket codes', async () => {
    expect(orderUrl, 'the first test pays the order').not.toBe('');
    const page = await buyer.newPage();
    const problems = watchPageProblems(page);
    await page.goto('/');
    await page.getByRole('link', { name: 'My tickets' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await page.getByRole('heading', { level: 2, name: eventTitle }).waitFor();

    const images = page.locator('img.qr-image');
    await images.nth(1).waitFor();
    expect(await images.count()).toBe(2);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img.qr-image')].every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    expect(await images.first().getAttribute('alt')).toMatch(/^QR code of .+'s Standard ticket$/);
    expect(await page.locator('.badge-ticket-valid').count()).toBe(2);

    const response = await buyer.request.get('/api/v1/me/tickets');
    const codes = ((await response.json()) as { items: TTicket[] }).items.map((t) => t.code);
    expect(codes).toHaveLength(2);
    const decoded = [await decodeQrImage(page, 0), await decodeQrImage(page, 1)];
    expect(decoded.sort()).toEqual([...codes].sort());

    // The PDF link works with the session cookie.
    const pdfHref = await page
      .getByRole('link', { name: /Download PDF/ })
      .first()
      .getAttribute('href');
    const pdf = await buyer.request.get(pdfHref ?? '');
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // "Show at the door" fills the screen with the code; Escape closes it and focus returns.
    const show = page.getByRole('button', { name: /Show at the door/ }).first();
    await show.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const qr = await dialog.locator('img.qr-image').boundingBox();
    expect(qr?.width ?? 0).toBeGreaterThan(500);
    expect(
      await dialog
        .getByRole('button', { name: 'Close' })
        .evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.includes('Show at the door'),
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  test('on a phone, My tickets fits the screen and the door view fills it', async () => {
    expect(orderUrl, 'the first test pays the order').not.toBe('');
    const phone = await newContext(browser, {
      storageState: await buyer.storageState(),
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await page.goto('/tickets');
    await page.locator('img.qr-image').nth(1).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const card = await page.locator('img.qr-image').first().boundingBox();
    expect(card?.width ?? 0).toBeGreaterThanOrEqual(240);
    await page
      .getByRole('button', { name: /Show at the door/ })
      .first()
      .click();
    const qr = await page.getByRole('dialog').locator('img.qr-image').boundingBox();
    expect(qr?.width ?? 0).toBeGreaterThan(340);
    await phone.close();
  });

  test('accessibility (axe-core): the ticketing pages have no serious or critical violations', async () => {
    expect(orderUrl, 'the first test pays the order').not.toBe('');
    // axe is injected as an inline script, which the app's CSP rightly forbids.
    const scanner = await newContext(browser, {
      storageState: await buyer.storageState(),
      bypassCSP: true,
    });
    const page = await scanner.newPage();
    const scan = async (path: string, heading: string | RegExp, ready?: string) => {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (ready) await page.locator(ready).first().waitFor();
      expect(await seriousAxeViolations(page), path).toEqual([]);
    };

    await scan(`/events/${event.slug}`, eventTitle, '.stepper');
    await page.getByRole('button', { name: 'Add one Standard ticket' }).click();
    await page.getByText(/Add their names/).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Get tickets' }).click();
    await page.waitForURL(/\/checkout\//);
    await page.getByRole('timer').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.getByRole('heading', { name: 'Order cancelled' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await scan(new URL(orderUrl).pathname, 'Order confirmed');
    await scan('/tickets', 'My tickets', 'img.qr-image');
    await page
      .getByRole('button', { name: /Show at the door/ })
      .first()
      .click();
    await page.getByRole('dialog').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await scan('/waitlist/claim?token=not-a-real-token-but-long-enough', 'Claim your ticket');
    await scanner.close();

    const organizerPage = await organizer.newPage();
    await organizerPage.goto(`/dashboard/events/${event.id}/ticket-types`);
    await organizerPage.getByRole('heading', { level: 1, name: 'Ticket types' }).waitFor();
    await organizerPage.getByText(/2\s+sold/).waitFor();
    expect(await seriousAxeViolations(organizerPage)).toEqual([]);
    await organizerPage.goto(`/dashboard/events/${event.id}/orders`);
    await organizerPage.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await organizerPage.locator('.data-table tbody tr').first().waitFor();
    expect(await seriousAxeViolations(organizerPage)).toEqual([]);
    await organizerPage.close();
  });
});

describe('organizer: ticket types and orders', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let event: TCreated = { id: '', slug: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    organizer = await newContext(browser);
    await signInThroughApi(organizer, uniqueEmail('manager'));
    const org = await apiWrite<TCreated>(
      organizer,
      'POST',
      '/api/v1/organizers',
      { name: 'Night Market Collective' },
      201,
    );
    event = await apiWrite<TCreated>(
      organizer,
      'POST',
      `/api/v1/organizers/${org.id}/events`,
      {
        title: 'Night Market',
        description: 'Food stalls.',
        category: 'food',
        tags: [],
        startsAt: '2031-07-01T18:00:00-04:00',
        endsAt: '2031-07-01T23:00:00-04:00',
        timezone: 'America/New_York',
        venue: { name: 'Pier 17', address: '', city: 'New York', country: 'US' },
      },
      201,
    );
  });
  afterAll(async () => {
    await organizer?.close();
    await browser?.close();
  });

  test('create a type with an exact price and a zoned sales window; errors land on the fields', async () => {
    const page = await organizer.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/dashboard/events/${event.id}/edit`);
    await page.getByRole('heading', { level: 1, name: 'Edit event' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Event management' })
      .getByRole('link', { name: 'Ticket types' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Ticket types' }).waitFor();

    const form = page.getByRole('region', { name: 'Add a ticket type' });
    await form.getByLabel('Name').fill('Early bird');
    await form.getByLabel('Price').fill('19.9999');
    await form.getByLabel('Currency').fill('USD');
    await form.getByLabel('Capacity').fill('0');
    await form.getByRole('button', { name: 'Add ticket type' }).click();
    await form.getByText('Use at most 2 decimal places.').waitFor();
    expect(await form.getByLabel('Price').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Capacity').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Price').fill('19.99');
    await form.getByLabel('Capacity').fill('40');
    await form.getByLabel('Sales start (optional)').fill('2031-06-01T09:00');
    await form.getByRole('button', { name: 'Add ticket type' }).click();
    await page.getByRole('status').filter({ hasText: 'Added “Early bird”.' }).waitFor();
    const card = page.getByRole('article', { name: 'Early bird' });
    await card.getByText('$19.99').waitFor();
    expect(await card.textContent()).toContain('On sale from Sun, Jun 1, 2031, 9:00 AM');

    const listed = await organizer.request.get(`/api/v1/events/${event.id}/ticket-types`);
    const [type] = (
      (await listed.json()) as { items: { priceCents: number; salesStartAt: string }[] }
    ).items;
    expect(type?.priceCents).toBe(1999);
    expect(type?.salesStartAt).toBe('2031-06-01T13:00:00.000Z');

    // Editing in place: a sales end before the start is refused beside its field.
    await card.getByRole('button', { name: 'Edit Early bird' }).click();
    const editor = page.locator('.ticket-type-admin').first();
    expect(await editor.getByLabel('Sales start (optional)').inputValue()).toBe('2031-06-01T09:00');
    await editor.getByLabel('Sales end (optional)').fill('2031-05-01T09:00');
    await editor.getByRole('button', { name: 'Save ticket type' }).click();
    await editor.getByText('The end of sales must be after the start.').waitFor();
    await editor.getByLabel('Sales end (optional)').fill('');
    await editor.getByLabel('Price').fill('21');
    await editor.getByRole('button', { name: 'Save ticket type' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Early bird”.' }).waitFor();
    await card.getByText('$21.00').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  test('an offline order is marked paid from the orders list', async () => {
    const listed = await organizer.request.get(`/api/v1/events/${event.id}/ticket-types`);
    const typeId = ((await listed.json()) as { items: { id: string }[] }).items[0]?.id ?? '';
    // Open sales now so a buyer can order.
    await apiWrite(
      organizer,
      'PATCH',
      `/api/v1/ticket-types/${typeId}`,
      { salesStartAt: null },
      200,
    );
    await apiWrite(organizer, 'POST', `/api/v1/events/${event.id}/publish`, undefined, 200);
    const buyer = await newContext(browser);
    await signInThroughApi(buyer, uniqueEmail('cash-buyer'));
    const order = await apiWrite<{ id: string }>(
      buyer,
      'POST',
      '/api/v1/orders',
      { eventId: event.id, items: [{ ticketTypeId: typeId, quantity: 1 }] },
      201,
    );
    await buyer.close();

    const page = await organizer.newPage();
    await page.goto(`/dashboard/events/${event.id}/orders`);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    const reference = order.id.slice(0, 8).toUpperCase();
    await page.getByRole('rowheader', { name: new RegExp(reference) }).waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Awaiting payment' });
    await page.waitForURL(/status=pending/);
    await page.getByRole('button', { name: `Mark paid (order ${reference})` }).click();
    await page.getByRole('button', { name: 'Confirm $21.00 received' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Order ${reference} is marked paid` })
      .waitFor();
    expect(await page.locator('.badge-order-paid').count()).toBe(1);
    await page.close();
  });
});

describe('waiting list: a released ticket is offered by e-mail and claimed', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let holder: BrowserContext;
  let event: TCreated = { id: '', slug: '' };
  let typeId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    organizer = await newContext(browser);
    await signInThroughApi(organizer, uniqueEmail('waitlist-org'));
    const org = await apiWrite<TCreated>(
      organizer,
      'POST',
      '/api/v1/organizers',
      { name: 'Small Room Concerts' },
      201,
    );
    event = await apiWrite<TCreated>(
      organizer,
      'POST',
      `/api/v1/organizers/${org.id}/events`,
      {
        title: 'House Concert',
        description: 'Twelve chairs.',
        category: 'music',
        tags: [],
        startsAt: '2031-10-03T20:00:00+02:00',
        endsAt: '2031-10-03T22:00:00+02:00',
        timezone: 'Europe/Berlin',
        venue: { name: 'Living Room', address: '', city: 'Leipzig', country: 'DE' },
      },
      201,
    );
    typeId = (
      await apiWrite<TCreated>(
        organizer,
        'POST',
        `/api/v1/events/${event.id}/ticket-types`,
        { name: 'Front row', priceCents: 1000, currency: 'EUR', capacity: 1, maxPerOrder: 1 },
        201,
      )
    ).id;
    await apiWrite(organizer, 'POST', `/api/v1/events/${event.id}/publish`, undefined, 200);
  });
  afterAll(async () => {
    await holder?.close();
    await organizer?.close();
    await browser?.close();
  });

  test('join while sold out, get the offer mail, sign in from its link, claim, reach checkout', async () => {
    // Someone else holds the only seat.
    holder = await newContext(browser);
    await signInThroughApi(holder, uniqueEmail('seat-holder'));
    const held = await apiWrite<{ id: string }>(
      holder,
      'POST',
      '/api/v1/orders',
      { eventId: event.id, items: [{ ticketTypeId: typeId, quantity: 1 }] },
      201,
    );

    const waiterEmail = uniqueEmail('waiter');
    const waiter = await newContext(browser);
    const page = await waiter.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/events/${event.slug}`);
    const row = page.getByRole('listitem').filter({ hasText: 'Front row' });
    await row.getByText('Sold out', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Join waiting list for Front row' }).click();
    await row.getByLabel('Your e-mail address').fill(waiterEmail);
    await row.getByRole('button', { name: 'Join waiting list' }).click();
    await row
      .getByRole('status')
      .filter({ hasText: 'You are number 1 on the Front row waiting list' })
      .waitFor();

    // The seat comes free: the first in line is offered it by e-mail.
    await apiWrite(holder, 'POST', `/api/v1/orders/${held.id}/cancel`, undefined, 200);
    const offer = await waitForMail(waiterEmail, /^A ticket is free for you/);
    const link = /https?:\/\/\S+\/waitlist\/claim\?token=[\w%-]+/.exec(offer.text)?.[0];
    expect(link, offer.text).toBeTruthy();

    // Signed out, the link goes through sign-in and comes back to the claim.
    await page.goto(link ?? '');
    await page.waitForURL(/\/sign-in\?next=%2Fwaitlist%2Fclaim%3Ftoken%3D/);
    await page.getByLabel('E-mail address').fill(waiterEmail);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').fill(await readSignInCode(waiterEmail));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/waitlist\/claim\?token=/);
    await page.getByRole('heading', { level: 1, name: 'Claim your ticket' }).waitFor();
    await page.getByRole('button', { name: 'Claim ticket' }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
    await page.getByRole('rowheader', { name: 'Front row' }).waitFor();
    await page.getByRole('button', { name: 'Pay €10.00' }).waitFor();

    // The link works once.
    await page.goto(link ?? '');
    await page.getByRole('button', { name: 'Claim ticket' }).click();
    await page.getByRole('alert').filter({ hasText: 'expired or was already used' }).waitFor();
    expect(problems).toEqual([]);
    await waiter.close();
  });
});
