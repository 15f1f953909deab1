import { randomBytes } from 'node:crypto';
import axe from 'axe-core';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { expect, inject } from 'vitest';
import { chromiumFlags, chromiumPath } from './chromium';

export const baseUrl = inject('baseUrl');

/** The system Chromium, headless, with `extraFlags` (e.g. a fake camera) added. */
export function launchBrowser(extraFlags: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumFlags, ...extraFlags] });
}

/** A fresh, isolated browser profile (its own cookies) pointed at the server under test. */
export function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl,
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

/** A unique e-mail address per test run, so runs never share accounts or rate limits. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.com`;
}

type TMail = { to: string; subject: string; text: string; createdAt: string };

/**
 * The newest sign-in code mailed to `email`, read from the dev mailbox API. The server stores the
 * mail before it answers the code request, but a short bounded poll keeps this robust.
 */
export async function readSignInCode(email: string, notCode?: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(
      `${baseUrl}/api/v1/dev/mailbox?to=${encodeURIComponent(email)}&limit=5`,
    );
    expect(response.status).toBe(200);
    const mails = (await response.json()) as TMail[];
    const code = mails
      .map((m) => /sign-in code is (\d{6})/.exec(m.text)?.[1])
      .find((c) => c !== undefined);
    if (code && code !== notCode) return code;
    if (Date.now() > deadline) throw new Error(`No sign-in code arrived for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Signs the context in through the API (cookie included), for tests whose subject is elsewhere. */
export async function signInThroughApi(context: BrowserContext, email: string) {
  const requested = await context.request.post('/api/v1/auth/otp', { data: { email } });
  expect(requested.status()).toBe(202);
  const code = await readSignInCode(email);
  const session = await context.request.post('/api/v1/auth/session', { data: { email, code } });
  expect(session.status()).toBe(200);
}

/** A cookie-authenticated write, sent with our Origin as a browser would (the server checks it). */
export async function apiWrite<T>(
  context: BrowserContext,
  method: 'POST' | 'PATCH' | 'PUT',
  path: string,
  data: unknown,
  expectedStatus: number,
): Promise<T> {
  const response = await context.request.fetch(path, {
    method,
    data,
    headers: { origin: baseUrl },
  });
  expect(response.status(), await response.text()).toBe(expectedStatus);
  return (await response.json()) as T;
}

/** Collects Content-Security-Policy violations and page errors, which the app must never cause. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/**
 * Runs axe-core on the page and returns its serious and critical violations. The page's context
 * must be created with `bypassCSP: true`, because axe is injected as an inline script.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof axe }).axe;
    const result = await runner.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
}
