import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  apiWrite,
  launchBrowser,
  newContext,
  signInThroughApi,
  uniqueEmail,
  watchPageProblems,
} from './support';

describe('team management', () => {
  let browser: Browser;
  let owner: BrowserContext;
  let staff: BrowserContext;
  let organizerId = '';
  const ownerEmail = uniqueEmail('owner');
  const staffEmail = uniqueEmail('staff');

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await newContext(browser);
    staff = await newContext(browser);
    await signInThroughApi(owner, ownerEmail);
    await signInThroughApi(staff, staffEmail);
    organizerId = (
      await apiWrite<{ id: string }>(
        owner,
        'POST',
        '/api/v1/organizers',
        { name: 'Team Test' },
        201,
      )
    ).id;
  });
  afterAll(async () => {
    await owner?.close();
    await staff?.close();
    await browser?.close();
  });

  test('an owner adds members, and sees why a duplicate or the last owner leaving is refused', async () => {
    const page = await owner.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`/dashboard/organizers/${organizerId}`);
    await page.getByRole('heading', { level: 1, name: 'Team Test' }).waitFor();

    const addForm = page.getByRole('form', { name: 'Add a team member' });
    await addForm.getByLabel('E-mail address').fill(staffEmail);
    await addForm.getByLabel('Role').selectOption('staff');
    await addForm.getByRole('button', { name: 'Add member' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${staffEmail} was added to the team.` })
      .waitFor();
    await page.locator('.member-who').getByText(staffEmail, { exact: true }).waitFor();

    await addForm.getByLabel('E-mail address').fill(staffEmail);
    await addForm.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('alert').filter({ hasText: 'This person is already a member.' }).waitFor();

    // The only owner cannot make themselves staff.
    await page.getByLabel(`Role of ${ownerEmail}`).selectOption('staff');
    await page.getByRole('button', { name: `Change role of ${ownerEmail}` }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'An organizer must keep at least one owner.' })
      .waitFor();
    expect(await page.getByLabel(`Role of ${ownerEmail}`).inputValue()).toBe('owner');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('staff see the events but no editing, team or audit controls', async () => {
    const page = await staff.newPage();
    await page.goto(`/dashboard/organizers/${organizerId}`);
    await page.getByRole('heading', { level: 1, name: 'Team Test' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Events' }).waitFor();
    expect(await page.getByText('Your role: Staff').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'New event' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Team', exact: true }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Audit log', exact: true }).count()).toBe(0);
    await page.close();
  });
});
