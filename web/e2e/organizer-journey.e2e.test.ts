import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, newContext, uniqueEmail, watchPageProblems } from './support';

const imageFixture = path.join(import.meta.dirname, 'fixtures', 'event-image.png');

describe('an organizer publishes an event that a visitor then finds', () => {
  let browser: Browser;
  let organizer: BrowserContext;
  let editorUrl = '';
  const email = uniqueEmail('organizer');
  const organizerName = `Moonlit Paddlers ${Date.now().toString(36)}`;
  const eventTitle = `Moonlight Kayak Tour ${Math.random().toString(36).slice(2, 8)}`;
  let eventSlug = '';

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await organizer?.close();
    await browser?.close();
  });

  test('sign in with the mailed code, create an organizer and publish an event with an image', async () => {
    organizer = await newContext(browser);
    const page = await organizer.newPage();
    const problems = watchPageProblems(page);

    // Sign in: the dashboard sends us to sign in and back.
    await page.goto('/dashboard');
    await page.waitForURL(/\/sign-in\?next=%2Fdashboard$/);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const codeInput = page.getByLabel('6-digit code');
    await codeInput.waitFor();
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');

    // Read the code where a developer would: the dev mailbox page, in a second tab.
    const code = await readCodeFromMailboxPage(organizer, email);
    await codeInput.fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    // Create an organizer.
    await page.getByLabel('Organizer name').fill(organizerName);
    await page.getByRole('button', { name: 'Create organizer' }).click();
    await page.getByRole('heading', { level: 1, name: organizerName }).waitFor();
    expect(await page.getByText('Your role: Owner').isVisible()).toBe(true);

    // Start a new event; the server's validation messages land beside the fields.
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByRole('heading', { level: 1, name: 'New event' }).waitFor();
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Starts').fill('2030-06-15T19:30');
    await page.getByLabel('Ends').fill('2030-06-15T22:00');
    await page.getByRole('button', { name: 'Create draft' }).click();
    const title = page.getByLabel('Title');
    await page.locator('#event-title-error').waitFor();
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#event-venue-city-error').textContent()).toMatch(/required/i);

    // Fill it in properly, with an image and a Markdown description.
    await title.fill(eventTitle);
    await page.getByLabel('Category').selectOption({ label: 'Sports' });
    await page
      .getByLabel('Description')
      .fill('**Paddle** under the full moon.\n\n- Kayaks included');
    await page.locator('.markdown-preview strong', { hasText: 'Paddle' }).waitFor();
    await page.getByLabel('Venue name').fill('Hudson River Boathouse');
    await page.getByLabel('City').fill('New York');
    await page.getByLabel('Country code').fill('US');
    await page.getByLabel('Tags (optional)').fill('kayak, night');
    await page.getByLabel('Event image').setInputFiles(imageFixture);
    await page.getByRole('img', { name: 'Preview of event-image.png' }).waitFor();
    await page.getByRole('button', { name: 'Create draft' }).click();

    await page.waitForURL(/\/dashboard\/events\/[0-9a-f-]+\/edit$/);
    await page.getByRole('heading', { level: 1, name: 'Edit event' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Draft created with its image' }).waitFor();
    await page.getByText('Current image').waitFor();
    expect(await page.locator('.badge-draft').textContent()).toBe('Draft');
    // The wall-clock time we typed is kept in the event's zone.
    expect(await page.getByLabel('Starts').inputValue()).toBe('2030-06-15T19:30');

    editorUrl = page.url();

    // A file that only claims to be an image is refused with a clear message.
    await page.getByLabel('Event image').setInputFiles({
      name: 'not-an-image.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is plain text, not a PNG'),
    });
    await page.getByRole('button', { name: 'Upload image' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Choose a JPEG, PNG, GIF, WebP or AVIF image' })
      .waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
    await page.locator('.badge-published').waitFor();

    const viewLink = page.getByRole('link', { name: 'View public page' });
    eventSlug = (await viewLink.getAttribute('href'))?.replace('/events/', '') ?? '';
    expect(eventSlug).toMatch(/^moonlight-kayak-tour/);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a visitor finds the event by its title on Discover and opens its page', async () => {
    expect(eventSlug, 'the previous test publishes the event').not.toBe('');
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchPageProblems(page);

    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Discover events' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(eventTitle);
    // The unfiltered list (which holds the event too) stays on screen until the search re-renders
    // the page: wait for the search's own answer, then for its result line.
    const searched = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/v1/events' &&
        new URL(response.url()).searchParams.get('q') === eventTitle,
    );
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === eventTitle);
    await searched;
    await page.getByRole('status').filter({ hasText: 'Showing 1 event.' }).waitFor();
    const card = page.getByRole('link', { name: eventTitle });
    await card.waitFor();
    expect(await page.locator('.event-card').count()).toBe(1);
    // Shown in the event's own zone, not the browser's (Europe/Berlin).
    expect(await page.locator('.event-card time').textContent()).toBe('Sat, Jun 15, 2030, 7:30 PM');

    await card.click();
    await page.waitForURL(`**/events/${eventSlug}`);
    await page.getByRole('heading', { level: 1, name: eventTitle }).waitFor();
    const details = page.getByRole('region', { name: 'Event details' });
    expect(await details.textContent()).toContain('7:30');
    expect(await details.textContent()).toContain('America/New York (GMT-4)');
    expect(await page.getByText(`By ${organizerName}`).isVisible()).toBe(true);
    expect(await page.locator('.prose strong').textContent()).toBe('Paddle');
    expect(await page.locator('img.event-hero-image').count()).toBe(1);
    const mapHref = await page.getByRole('link', { name: /Show on map/ }).getAttribute('href');
    expect(mapHref).toMatch(/^https:\/\/www\.openstreetmap\.org\/search\?query=Hudson/);

    const calendarHref = await page
      .getByRole('link', { name: 'Add to calendar' })
      .getAttribute('href');
    const calendar = await context.request.get(calendarHref ?? '');
    expect(calendar.status()).toBe(200);
    expect(await calendar.text()).toContain('BEGIN:VEVENT');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('cancelling asks for confirmation, then the public page says so', async () => {
    expect(editorUrl, 'the first test creates the event').not.toBe('');
    const page = await organizer.newPage();
    await page.goto(editorUrl);
    await page.getByRole('heading', { level: 1, name: 'Edit event' }).waitFor();

    await page.getByRole('button', { name: 'Cancel event' }).click();
    const keep = page.getByRole('button', { name: 'Keep the event' });
    await keep.waitFor();
    await keep.click();
    expect(await page.locator('.badge-published').count()).toBe(1);

    await page.getByRole('button', { name: 'Cancel event' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
    await page.getByRole('status').filter({ hasText: 'The event is cancelled.' }).waitFor();
    await page.locator('.badge-cancelled').waitFor();
    await page.getByText('A cancelled event can no longer be edited.').waitFor();

    const visitor = await newContext(browser);
    const publicPage = await visitor.newPage();
    await publicPage.goto(`/events/${eventSlug}`);
    await publicPage.getByRole('heading', { level: 1, name: eventTitle }).waitFor();
    expect(await publicPage.getByText('This event has been cancelled.').isVisible()).toBe(true);
    expect(await publicPage.getByRole('link', { name: 'Add to calendar' }).count()).toBe(0);
    await visitor.close();
    await page.close();
  });
});

async function readCodeFromMailboxPage(context: BrowserContext, email: string): Promise<string> {
  const mailbox: Page = await context.newPage();
  await mailbox.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
  await mailbox.getByRole('heading', { level: 1, name: 'Dev mailbox' }).waitFor();
  const code = mailbox.getByTestId('sign-in-code').first();
  await code.waitFor();
  const text = (await code.textContent()) ?? '';
  expect(text).toMatch(/^\d{6}$/);
  // Open the message: its text and sandboxed HTML are shown.
  await mailbox
    .getByRole('button', { name: /Your TickItNow sign-in code/ })
    .first()
    .click();
  await mailbox.getByTitle(/HTML version/).waitFor();
  expect(await mailbox.getByTitle(/HTML version/).getAttribute('sandbox')).toBe('');
  await mailbox.close();
  return text;
}
