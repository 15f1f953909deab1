import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  apiWrite,
  launchBrowser,
  newContext,
  seriousAxeViolations,
  signInThroughApi,
  uniqueEmail,
} from './support';

type TCreated = { id: string; slug: string };

/** Opens a page and waits for its heading, so the scan sees the finished page, not a spinner. */
async function openPage(page: Page, path: string, heading: string | RegExp) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('accessibility (axe-core): no serious or critical violations', () => {
  let browser: Browser;
  let visitor: BrowserContext;
  let organizer: BrowserContext;
  let organizerId = '';
  let event: TCreated = { id: '', slug: '' };

  beforeAll(async () => {
    browser = await launchBrowser();
    // axe is injected as an inline script, which the app's CSP rightly forbids.
    visitor = await newContext(browser, { bypassCSP: true });
    organizer = await newContext(browser, { bypassCSP: true });
    await signInThroughApi(organizer, uniqueEmail('a11y'));
    organizerId = (
      await apiWrite<TCreated>(
        organizer,
        'POST',
        '/api/v1/organizers',
        { name: 'Accessible Events' },
        201,
      )
    ).id;
    event = await apiWrite<TCreated>(
      organizer,
      'POST',
      `/api/v1/organizers/${organizerId}/events`,
      {
        title: 'Accessible Evening',
        description: 'An evening about **inclusive** design.\n\n- Talks\n- Q&A',
        category: 'community',
        tags: ['a11y'],
        startsAt: '2031-03-01T18:00:00+01:00',
        endsAt: '2031-03-01T21:00:00+01:00',
        timezone: 'Europe/Berlin',
        venue: { name: 'Town Hall', address: 'Marktplatz 1', city: 'Berlin', country: 'DE' },
      },
      201,
    );
    await apiWrite(organizer, 'POST', `/api/v1/events/${event.id}/publish`, undefined, 200);
  });
  afterAll(async () => {
    await visitor?.close();
    await organizer?.close();
    await browser?.close();
  });

  test('the scan itself catches a known violation (so a clean result means something)', async () => {
    const page = await visitor.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><title>x</title><main><input type="text"></main></html>',
    );
    const violations = await seriousAxeViolations(page);
    expect(violations.some((v) => v.includes(': label '))).toBe(true);
    await page.close();
  });

  test('Discover', async () => {
    const page = await visitor.newPage();
    await openPage(page, '/', 'Discover events');
    await page.locator('.event-card').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  test('Event page', async () => {
    const page = await visitor.newPage();
    await openPage(page, `/events/${event.slug}`, 'Accessible Evening');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  test('Sign in, both steps', async () => {
    const page = await visitor.newPage();
    await openPage(page, '/sign-in', 'Sign in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('E-mail address').fill(uniqueEmail('a11y-visitor'));
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('6-digit code').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  test('Dashboard and organizer page', async () => {
    const page = await organizer.newPage();
    await openPage(page, '/dashboard', 'Dashboard');
    await page.getByRole('link', { name: 'Accessible Events' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await openPage(page, `/dashboard/organizers/${organizerId}`, 'Accessible Events');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByText('Published an event').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  test('Event editor, new and existing', async () => {
    const page = await organizer.newPage();
    await openPage(page, `/dashboard/organizers/${organizerId}/events/new`, 'New event');
    // Show the inline validation state too.
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.locator('#event-starts-error').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await openPage(page, `/dashboard/events/${event.id}/edit`, 'Edit event');
    await page.getByLabel('Title').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  test('Account and dev mailbox', async () => {
    const page = await organizer.newPage();
    await openPage(page, '/account', 'Your account');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await openPage(page, '/dev/mailbox', 'Dev mailbox');
    await page.getByTestId('sign-in-code').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('phone-sized screens', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('Discover fits a 390 px wide screen without sideways scrolling', async () => {
    const context = await newContext(browser, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await openPage(page, '/', 'Discover events');
    const firstCard = page.locator('.event-card').first();
    await firstCard.waitFor();

    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // One card per row, using the screen's width.
    const box = await firstCard.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(330);
    expect(box?.width ?? 0).toBeLessThanOrEqual(390);
    // The search box and main navigation are on screen and usable.
    const search = await page.getByRole('searchbox', { name: 'Search' }).boundingBox();
    expect(search && search.x >= 0 && search.x + search.width <= 390).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    // The card image asks for a small rendition via srcset/sizes. The first card's is the
    // largest paint on a phone, so it loads at once and first; the others wait for scrolling.
    const images = page.locator('.event-card img');
    const image = images.first();
    expect(await image.getAttribute('srcset')).toMatch(/ 400w, .* 800w/);
    expect(await image.getAttribute('loading')).toBe('eager');
    expect(await image.getAttribute('fetchpriority')).toBe('high');
    if ((await images.count()) > 1)
      expect(await images.nth(1).getAttribute('loading')).toBe('lazy');
    await context.close();
  });
});
