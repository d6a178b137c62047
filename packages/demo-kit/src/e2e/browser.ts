// The browser of every demo's end-to-end tests (Node only): Debian's chromium driven by playwright-core (it never
// downloads a browser), whether a suite runs without one, and pages that record their uncaught and console errors.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
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

export interface OpenPageOptions {
  /** The page's size (default 1100 × 1000). */
  viewport?: { width: number; height: number };
  /** Also record each HTTP response with a status of 400 or more in `consoleErrors` ("HTTP 404 for <url>"). */
  recordHttpErrors?: boolean;
}

/**
 * A new page that records uncaught page errors and crashes in `errors`, and console errors (a failed fetch, a 404
 * asset, a React warning logged as an error) in `consoleErrors`.
 */
export async function openPage(browser: Browser, options: OpenPageOptions = {}): Promise<TestPage> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1100, height: 1000 } });
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url || 'page'})`);
  });
  if (options.recordHttpErrors) {
    page.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} for ${r.url()}`);
    });
  }
  return { page, errors, consoleErrors };
}
