// Shared by the browser tests: Debian's chromium through playwright-core (never a browser download), a page that
// records console errors, an axe-core check for serious violations, and screenshots under test-results/screenshots.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium, which .ci/run installs (apt-get install chromium). */
export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests skip, or false when they run. */
export const NO_BROWSER = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`;
/** Where screenshots go (gitignored; CI keeps the folder). */
export const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Launches headless chromium with the flags that keep it offline and quiet. */
export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Collects the page's console errors and uncaught exceptions (the test fails on any). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page and fails on serious or critical violations (naming them). */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${what}: serious accessibility violations`);
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
}

/** What openApp gives a test: the signed-in page, the server's base URL and the page's collected errors. */
export interface OpenApp {
  page: Page;
  base: string;
  errors: string[];
  browser: Browser;
}

/**
 * Serves `beckon` on loopback, launches chromium (closed after the test), opens `path` in a new page of the given
 * viewport and language, and signs in with `email` / `password` (the sign-in form appears for any path without a session).
 */
export async function openApp(t: { after(fn: () => unknown): void }, beckon: { runtime: { app: { listen(o: { port: number; host: string }): Promise<unknown>; server: { address(): unknown } } } },
  login: { email: string; password: string }, options: { path?: string; locale?: string; width?: number; height?: number } = {}): Promise<OpenApp> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(beckon.runtime.app.server.address() as { port: number }).port}`;
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(base + (options.path ?? '/'));
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main#main').waitFor();
  return { page, base, errors, browser };
}
