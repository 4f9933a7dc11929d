// Browser tests: a real Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) against a listening Settle on a fresh database with the
// sandbox clock. Every page records uncaught errors and 5xx answers; a test
// fails on any of them (`assertClean`). Without Chromium the browser tests
// are skipped with a reason — except under CI, where that is a failure.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { WEB_DIST_DIR } from '../../src/web/build.ts';
import { startSettle, type TestApi, type TestSettleOptions } from './harness.ts';

export const CHROMIUM_PATH = process.env.SETTLE_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  const missing = !existsSync(CHROMIUM_PATH) ? `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set SETTLE_CHROMIUM)` : undefined;
  if (missing && process.env.CI) throw new Error(`${missing}: browser tests must run in CI`);
  return missing;
}

/** Where screenshots go when SETTLE_SCREENSHOTS names a folder (`npm run screenshots`). */
const SCREENSHOT_DIR = process.env.SETTLE_SCREENSHOTS;

/** Flags as root in a sandbox with a closed network (docs/decisions.md "Browser tests"). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let browserPromise: Promise<Browser> | undefined;
after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

export function launchBrowser(): Promise<Browser> {
  browserPromise ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  return browserPromise;
}

export interface WebSettle {
  api: TestApi;
  baseUrl: string;
}

/** A Settle listening on a free port of 127.0.0.1, serving the built web app. */
export async function startWebSettle(options: TestSettleOptions = {}): Promise<WebSettle> {
  // npm test builds it when stale; checked for existence only, so an edit during a run does not fail it.
  assert.ok(existsSync(path.join(WEB_DIST_DIR, 'index.html')), 'the web app is built (npm test builds it; or npm run build:web)');
  const api = await startSettle(options);
  await api.settle.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.settle.server.server.address() as AddressInfo;
  return { api, baseUrl: `http://127.0.0.1:${port}` };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, failed API calls (5xx) and console errors, for assertClean. */
  problems: string[];
}

/**
 * A new browser profile (its own cookies) on `baseUrl`. Console errors from
 * expected 4xx answers are not problems; uncaught exceptions and 5xx are.
 */
export async function person(baseUrl: string, options: { timezoneId?: string } = {}): Promise<Person> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', timezoneId: options.timezoneId ?? 'UTC', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  after(() => context.close().catch(() => undefined));
  return { context, page, problems };
}

export function assertClean(...people: Person[]): void {
  const problems = people.flatMap((p) => p.problems);
  assert.deepEqual(problems, [], `the pages had problems:\n${problems.join('\n')}`);
}

/** Signs in through the Log in page. */
export async function logIn(p: Person, email: string, password: string): Promise<void> {
  await p.page.goto('/login');
  await p.page.getByLabel('Email').fill(email);
  await p.page.getByLabel('Password').fill(password);
  await p.page.getByRole('button', { name: 'Log in' }).click();
  await p.page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Saves a screenshot as docs/screenshots/<name>.png when SETTLE_SCREENSHOTS is
 * set: the whole page, or only the viewport (a modal dialog over a scrolled page).
 */
export async function screenshot(p: Person, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await p.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** A real 1×1 PNG, for attachment fields: `setInputFiles({ name, mimeType: 'image/png', buffer: PNG })`. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
