// Chromium end-to-end helpers for every demo's tests (Node only): Debian's chromium driven by playwright-core (it
// never downloads a browser), page-error collection, polling for content, screenshots in the app's test-artifacts/.
// The site side (build the apps, serve them through the one server) is @recurrent/demo-site/e2e-setup.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type {} from 'vitest';

/** Flags that let Debian's chromium run headless as root in a container without a GPU or network noise. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** $CHROMIUM_PATH, else /usr/bin/chromium, when it exists; else null. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the one site server ('' when the e2e run is skipped), e.g. http://127.0.0.1:40123. */
    siteUrl: string;
    /** Path of the chromium binary ('' when none was found). */
    chromiumPath: string;
  }
}

/**
 * Whether an e2e suite runs: with a chromium, or in CI (where a missing one must fail, not skip). Without either it
 * prints a loud banner saying how to install it.
 */
export function shouldRunE2e(chromiumPath: string, suite: string): boolean {
  if (chromiumPath !== '' || IN_CI) return true;
  console.warn(
    [
      '',
      '#'.repeat(100),
      `#  SKIPPING the ${suite} end-to-end test: no chromium at /usr/bin/chromium (or $CHROMIUM_PATH).`,
      '#  Install it with `bash scripts/install-browser.sh` (Debian: apt-get install chromium). In CI this fails.',
      '#'.repeat(100),
      '',
    ].join('\n'),
  );
  return false;
}

/** A headless chromium with the container flags; fails with the install command when there is none. */
export async function launchChromium(chromiumPath: string): Promise<Browser> {
  if (!chromiumPath) {
    throw new Error(
      'CI is set but chromium is missing: run `bash scripts/install-browser.sh` (apt-get install chromium)',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}

export interface TestPage {
  page: Page;
  /** Uncaught errors of the page ("Name: message"); a test asserts it stays empty. */
  errors: string[];
  /** Messages the page (or its workers) logged with console.error, failed resource loads included. */
  consoleErrors: string[];
}

/**
 * A new page (1100 × 1000 unless told) that records uncaught page errors and crashes in `errors`, and console.error
 * messages in `consoleErrors`.
 */
export async function openPage(browser: Browser, viewport = { width: 1100, height: 1000 }): Promise<TestPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url || 'no url'})`);
  });
  return { page, errors, consoleErrors };
}

/** Poll `read` until `accept` holds (or fail with what was awaited and the last value seen). */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The slowest of `probes` round trips to the page's main thread, `intervalMs` apart (ms): a page whose model work
 * runs in its worker answers each within a few milliseconds; a blocked main thread shows as seconds.
 */
export async function slowestMainThreadResponse(
  page: Page,
  options: { probes?: number; intervalMs?: number } = {},
): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < (options.probes ?? 10); i++) {
    const t0 = Date.now();
    await page.evaluate(() => document.querySelectorAll('button').length);
    slowest = Math.max(slowest, Date.now() - t0);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
  return slowest;
}

/** The trimmed text of the element `l` matches ('' when it has none). */
export const textOf = async (l: Locator): Promise<string> => ((await l.textContent()) ?? '').trim();

/** The text of every element `l` matches now (no waiting: '' when there is none). */
export const textsOf = async (l: Locator): Promise<string> => (await l.allTextContents()).join(' ').trim();

/** `<appDir>/test-artifacts/` (created): where screenshots and build logs go (gitignored). */
export function artifactsDir(appDir: string): string {
  const dir = join(appDir, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Save a screenshot of `page` as `<appDir>/test-artifacts/<name>.png`; returns its path. */
export async function screenshot(page: Page, appDir: string, name: string, fullPage = true): Promise<string> {
  const path = join(artifactsDir(appDir), `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
