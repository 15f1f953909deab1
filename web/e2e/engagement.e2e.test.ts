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

type TCreated = { id: string; slug: string };
type TMail = { to: string; subject: string; text: string; createdAt: string };
type TAnalytics = {
  views: number;
  uniqueVisitors: number;
  orders: number;
  conversionRate: number | null;
  ticketsSold: number;
  revenueCents: number;
  currency: string | null;
  checkIns: { admitted: number; total: number };
};
type TBroadcast = {
  subject: string;
  deliveries: { recipients: number; pending: number; sent: number; failed: number };
};

/**
 * The newest mail to `email` whose subject matches, read from the dev mailbox API. Mail is sent by
 * background jobs, so this polls for a bounded time.
 */
async function waitForMail(email: string, subject: RegExp): Promise<TMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(
      `${baseUrl}/api/v1/dev/mailbox?to=${encodeURIComponent(email)}&limit=20`,
    );
    expect(response.status).toBe(200);
    const mail = ((await response.json()) as TMail[]).find((m) => subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No mail matching ${subject} arrived for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The first link in a mail's text that goes to `path` on the server under test. */
function linkIn(mail: TMail, path: string): string {
  const escaped = `${baseUrl}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = new RegExp(`${escaped}\\?token=[^\\s]+`).exec(mail.text)?.[0];
  expect(link, `a ${path} link in “${mail.subject}”`).toBeTruthy();
  return link ?? '';
}

/** Waits for the page's first heading to read `name`. */
async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

describe('engagement: follow, confirm, announce, unsubscribe, insights', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let attendee: BrowserContext;
  const organizerEmail = uniqueEmail('eng-organizer');
  const attendeeEmail = uniqueEmail('eng-attendee');
  const buyerEmail = uniqueEmail('eng-buyer');
  const organizerName = `Harbour Nights ${Date.now().toString(36)}`;
  const subject = `Doors open at 19:00 (${Math.random().toString(36).slice(2, 7)})`;
  let event: TCreated = { id: '', slug: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    // axe is injected as an inline script, which the app's CSP rightly forbids.
    organizer = await newContext(browser, { bypassCSP: true });
    attendee = await newContext(browser, { bypassCSP: true });
    await signInThroughApi(organizer, organizerEmail);
    await signInThroughApi(attendee, attendeeEmail);

    const org = await apiWrite<TCreated>(
      organizer,
      'POST',
      '/api/v1/organizers',
      { name: organizerName },
      201,
    );
    event = await apiWrite<TCreated>(
      organizer,
      'POST',
      `/api/v1/organizers/${org.id}/events`,
      {
        title: 'Harbour Jazz Evening',
        description: 'Jazz by the water.',
        category: 'music',
        tags: ['jazz'],
        startsAt: '2031-06-01T19:00:00+02:00',
        endsAt: '2031-06-01T23:00:00+02:00',
        timezone: 'Europe/Berlin',
        venue: { name: 'Pier 3', address: 'Kai 1', city: 'Hamburg', country: 'DE' },
      },
      201,
    );
    const ticketType = await apiWrite<{ id: string }>(
      organizer,
      'POST',
      `/api/v1/events/${event.id}/ticket-types`,
      { name: 'Standing', priceCents: 2500, currency: 'EUR', capacity: 50 },
      201,
    );
    await apiWrite(organizer, 'POST', `/api/v1/events/${event.id}/publish`, undefined, 200);

    // A sale: a buyer pays one ticket with the test card.
    const buyer = await newContext(browser);
    await signInThroughApi(buyer, buyerEmail);
    const order = await apiWrite<{ id: string }>(
      buyer,
      'POST',
      '/api/v1/orders',
      { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] },
      201,
    );
    const paid = await apiWrite<{ status: string }>(
      buyer,
      'POST',
      `/api/v1/orders/${order.id}/pay`,
      { provider: 'test', paymentToken: 'test_ok' },
      200,
    );
    expect(paid.status).toBe('paid');
    await buyer.close();
  });
  afterAll(async () => {
    await attendee?.close();
    await organizer?.close();
    await browser?.close();
  });

  test('an attendee follows the organizer from the event page and confirms from the mailbox', async () => {
    const page = await attendee.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/events/${event.slug}`);
    await heading(page, 'Harbour Jazz Evening');

    await page.getByRole('button', { name: `Follow ${organizerName}` }).click();
    const email = page.getByLabel('E-mail for updates');
    // Signed in: the address is filled in once the session (GET /me) has arrived, which may be
    // after the page and its button are drawn. Read at once, the field was once still empty in CI.
    await expect.poll(() => email.inputValue(), { timeout: 10_000 }).toBe(attendeeEmail);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    const answer = page.getByRole('status').filter({ hasText: 'Check your inbox' });
    await answer.waitFor();
    // Neutral wording: nothing says whether the address was subscribed before.
    expect(await answer.textContent()).toContain(`If ${attendeeEmail} still needs to confirm`);
    expect(await answer.getByRole('link', { name: 'dev mailbox' }).getAttribute('href')).toBe(
      `/dev/mailbox?to=${encodeURIComponent(attendeeEmail)}`,
    );
    // Closing the page sends its views (sendBeacon on pagehide).
    await page.close();

    const mail = await waitForMail(attendeeEmail, /Confirm your subscription/);
    const confirmLink = linkIn(mail, '/subscriptions/confirm');
    const confirmPage = await attendee.newPage();
    await confirmPage.goto(confirmLink);
    await heading(confirmPage, 'Subscription confirmed');
    await confirmPage.getByText(`will receive news from ${organizerName}`).waitFor();
    expect(await seriousAxeViolations(confirmPage)).toEqual([]);

    // The same link a second time, and a forged one, are explained in plain words.
    await confirmPage.reload();
    await heading(confirmPage, 'This link was already used');
    await confirmPage.goto('/subscriptions/confirm?token=1.1.forged-signature');
    await heading(confirmPage, 'This link does not work');
    await confirmPage.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    expect(await seriousAxeViolations(confirmPage)).toEqual([]);
    expect(problems).toEqual([]);
    await confirmPage.close();
  });

  test('the organizer sends an announcement from the insights page and sees it delivered', async () => {
    const page = await organizer.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/dashboard/events/${event.id}/edit`);
    await heading(page, 'Edit event');
    await page.getByRole('navigation', { name: 'Event management' }).getByText('Insights').click();
    await page.waitForURL(`**/dashboard/events/${event.id}/insights`);
    await heading(page, 'Insights');
    // The page's sections arrive one by one (the numbers, the charts' chunk, the history of
    // announcements), moving the form down as they do; act once they are all in. Once, in CI (with
    // `npm run check` loading the machine), the click below never produced its validation message;
    // the cause was not found, and it did not happen again locally, under CPU load either.
    await page.getByTestId('kpi-views').waitFor();
    await page.getByText('Loading charts…').waitFor({ state: 'hidden' });
    await page.getByText('Nothing sent yet.').or(page.locator('.broadcast-list')).waitFor();

    // Empty fields are refused beside the fields, before anything is sent.
    await page.getByRole('button', { name: 'Send announcement…' }).click();
    await page.locator('#announcement-subject-error').waitFor();
    expect(await page.getByLabel('Subject').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#announcement-body-error').textContent()).toBe('Write the message.');

    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Message').fill('Doors open an hour early.\n\nSee you at the pier!');
    await page.getByRole('button', { name: 'Send announcement…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm sending' });
    await confirm.getByText('Send to all ticket holders and subscribers?').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Yes, send it' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `“${subject}” is` })
      .waitFor();

    // The buyer (ticket holder) and the follower: two recipients, both sent once the worker ran.
    const item = page.locator('.broadcast-item').filter({ hasText: subject });
    await item.waitFor();
    expect(await item.locator('.badge').textContent()).toBe('Announcement');
    const sent = item.locator('.delivery-counts div').filter({ hasText: 'Sent' }).locator('dd');
    const pending = item.locator('.delivery-counts div').filter({ hasText: 'Pending' });
    await page.waitForFunction(
      (s) => {
        const items = [...document.querySelectorAll('.broadcast-item')];
        const it = items.find((el) => el.textContent?.includes(s));
        const values = [...(it?.querySelectorAll('.delivery-counts dd') ?? [])].map(
          (dd) => dd.textContent,
        );
        return values[0] === '2' && values[1] === '2' && values[2] === '0';
      },
      subject,
      { timeout: 30_000 },
    );
    expect(await sent.textContent()).toBe('2');
    expect(await pending.locator('dd').textContent()).toBe('0');

    const list = await organizer.request.get(`/api/v1/events/${event.id}/announcements`);
    const broadcast = ((await list.json()) as { items: TBroadcast[] }).items.find(
      (b) => b.subject === subject,
    );
    expect(broadcast?.deliveries).toMatchObject({ recipients: 2, sent: 2, pending: 0, failed: 0 });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the attendee gets the announcement and unsubscribes in one click', async () => {
    const mail = await waitForMail(attendeeEmail, new RegExp(subject.replace(/[()]/g, '\\$&')));
    expect(mail.text).toContain('Doors open an hour early.');
    const unsubscribeLink = linkIn(mail, '/unsubscribe');

    // A fresh browser, not signed in: the link alone is enough.
    const anonymous = await newContext(browser, { bypassCSP: true });
    const page = await anonymous.newPage();
    await page.goto(unsubscribeLink);
    await heading(page, 'You are unsubscribed');
    await page
      .getByRole('status')
      .filter({ hasText: `${attendeeEmail} will no longer receive news from ${organizerName}` })
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A damaged link says so and changes nothing.
    await page.goto('/unsubscribe?token=damaged-link-0000');
    await heading(page, 'This unsubscribe link does not work');
    await page.getByRole('heading', { name: 'What you can do' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await anonymous.close();
  });

  test('the organizer sees charts and numbers that match the API', async () => {
    // The attendee's visit above was recorded by the page's beacon; wait until it is counted.
    let analytics: TAnalytics | undefined;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await organizer.request.get(`/api/v1/events/${event.id}/analytics`);
      expect(response.status()).toBe(200);
      analytics = (await response.json()) as TAnalytics;
      if (analytics.views >= 1) break;
      if (Date.now() > deadline) throw new Error('The event view was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(analytics.orders).toBe(1);
    expect(analytics.ticketsSold).toBe(1);
    expect(analytics.revenueCents).toBe(2500);

    const page = await organizer.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/dashboard/events/${event.id}/insights`);
    await heading(page, 'Insights');
    await page.locator('.chart-canvas canvas').nth(3).waitFor();
    expect(await page.locator('.chart-canvas canvas').count()).toBe(4);
    expect(await page.locator('canvas[role="img"]').first().getAttribute('aria-label')).toMatch(
      /^Views and visitors per day\. /,
    );

    const kpi = (key: string) => page.getByTestId(`kpi-${key}`).textContent();
    expect(await kpi('views')).toBe(String(analytics.views));
    expect(await kpi('visitors')).toBe(String(analytics.uniqueVisitors));
    expect(await kpi('tickets')).toBe('1');
    expect(await kpi('revenue')).toBe('€25.00');
    expect(await kpi('check-ins')).toBe('0 / 1');
    const rate = analytics.conversionRate ?? 0;
    expect(await kpi('conversion')).toBe(
      new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(rate),
    );

    // Each chart's numbers are one click away as a table.
    await page.getByText('Show the numbers', { exact: false }).nth(2).click();
    const typeRow = page.getByRole('row', { name: /Standing/ });
    expect(await typeRow.getByRole('cell').first().textContent()).toBe('1');

    // The attendee list and the CSV exports.
    await page.getByRole('cell', { name: buyerEmail }).first().waitFor();
    await page.getByLabel('Search attendees').fill('nobody-matches-this');
    await page.getByText('Showing 0 of 1 ticket.').waitFor();
    const csvHref = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
    const csv = await organizer.request.get(csvHref ?? '');
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(buyerEmail);
    const ordersHref = await page.getByRole('link', { name: 'Orders CSV' }).getAttribute('href');
    expect((await organizer.request.get(ordersHref ?? '')).status()).toBe(200);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
