import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/**
 * A small journey harness: each journey gets a fresh browser context (no shared
 * cookies), every page it checks is scanned with axe-core, and uncaught page errors
 * fail the journey.
 */

export interface JourneyContext {
  browser: Browser;
  baseUrl: string;
  /** A new page in a fresh context; phone: 390×844 with touch. */
  newPage(options?: { phone?: boolean }): Promise<Page>;
  /** Same-origin API calls outside the browser (setting up data), signed in as `email`. */
  apiAs(email: string): Promise<ApiSession>;
}

export interface Journey {
  name: string;
  fn: (ctx: JourneyContext) => Promise<void>;
}

export const journeys: Journey[] = [];

export function journey(name: string, fn: Journey['fn']): void {
  journeys.push({ name, fn });
}

export const PASSWORD = 'threshold-demo';
export const screenshotDir = process.env.E2E_SCREENSHOTS ?? '';

let pagesScanned = 0;
export const scannedCount = () => pagesScanned;

export interface ApiSession {
  get<T>(url: string): Promise<T>;
  post<T>(url: string, body: unknown): Promise<T>;
}

export async function apiSession(baseUrl: string, email: string): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(login.status, 200, `API sign-in as ${email} failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    assert.ok(res.ok, `${method} ${url} as ${email} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { get: (url) => call('GET', url), post: (url, body) => call('POST', url, body) };
}

/**
 * Fails if the page scrolls sideways. Measured against the layout viewport (clientWidth):
 * with a phone's emulation (isMobile) Chromium zooms out to fit wide content, so
 * window.innerWidth grows with the overflow and a check against it never fails.
 */
export async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${label}: the page scrolls sideways by ${overflow}px`);
}

/** Wait until the page's single h1 reads `name` (string: exact; RegExp: match). */
export async function expectHeading(page: Page, name: string | RegExp, timeout = 10_000): Promise<void> {
  const h1 = page.locator('main h1');
  try {
    await page.waitForFunction(
      ({ source, flags, exact }) => {
        const hs = document.querySelectorAll('main h1');
        if (hs.length !== 1) return false;
        const text = (hs[0]!.textContent ?? '').trim();
        return source === null ? text === exact : new RegExp(source, flags).test(text);
      },
      typeof name === 'string' ? { source: null, flags: '', exact: name } : { source: name.source, flags: name.flags, exact: '' },
      { timeout },
    );
  } catch {
    const actual = await h1.allTextContents().catch(() => []);
    throw new Error(`expected one h1 ${String(name)} on ${page.url()}, found ${JSON.stringify(actual)}`);
  }
}

/** Inject axe-core and fail on serious or critical violations. */
export async function checkA11y(page: Page, label: string): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.loading'), undefined, { timeout: 10_000 }).catch(() => undefined);
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  pagesScanned += 1;
  await snap(page, label);
  assert.deepEqual(violations, [], `axe found serious/critical violations on "${label}" (${page.url()}):\n${JSON.stringify(violations, null, 2)}`);
}

export async function snap(page: Page, label: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

/** Names of the links in the main navigation, in order. */
export async function navLinks(page: Page): Promise<string[]> {
  return (await page.locator('nav[aria-label="Main"] ul a').allTextContents()).map((t) => t.trim());
}

export async function signIn(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await expectHeading(page, 'Sign in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signOut(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Sign out' });
  if (!(await button.isVisible())) await page.getByRole('button', { name: 'Menu' }).click();
  await button.click();
  await expectHeading(page, 'Sign in');
}

export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

export type { BrowserContext, Page };
