import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, newContext, readSignInCode, uniqueEmail } from './support';

describe('sign-in', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('a wrong code shows an error with the attempts left; the right one then signs in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const email = uniqueEmail('wrong-code');

    await page.goto(`/sign-in?email=${encodeURIComponent(email)}&next=%2Faccount`);
    const emailInput = page.getByLabel('E-mail address');
    expect(await emailInput.inputValue()).toBe(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const codeInput = page.getByLabel('6-digit code');
    await codeInput.waitFor();

    const code = await readSignInCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    await codeInput.fill(wrong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'That code is not right' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('4 attempts left');
    expect(page.url()).toContain('/sign-in');

    await codeInput.fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(await page.getByText(`Signed in as ${email}`).isVisible()).toBe(true);

    // Sign out returns to Discover and the header offers sign-in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Sign in' })
      .waitFor();
    await context.close();
  });
});
