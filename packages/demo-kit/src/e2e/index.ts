// Chromium end-to-end helpers for every demo's tests (Node only): describeInChromium (one suite: browser, pages,
// the skip decision and the no-uncaught-errors test; chromium-suite.ts), the browser and its pages (browser.ts),
// polling for content, screenshots in the app's test-artifacts/, and the faults a demo must survive.
// The site side (build the apps, serve them through the one server) is @recurrent/demo-site/e2e-setup.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import type { Locator, Page, Route } from 'playwright-core';

export * from './browser';
export * from './chromium-suite';

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

// ---- Faults: what a demo must survive (a failing or truncated download, a crashed worker, a huge upload) ----

/**
 * Make `page` answer requests matching `url` with HTTP `status` (e.g. 500) instead of the file; returns the function
 * that lets them through again (for the retry).
 */
export async function failRequests(page: Page, url: string | RegExp, status = 500): Promise<() => Promise<void>> {
  const handler = (route: Route) =>
    route.fulfill({ status, contentType: 'text/plain', body: `HTTP ${status}\n` }).catch(ignoreHandledRoute);
  await page.route(url, handler);
  return () => page.unroute(url, handler);
}

/**
 * Make `page` receive only the first `keep` (a fraction) of each file matching `url`, as if the file on the server
 * were cut short; `cutOff: true` keeps the full Content-Length so the transfer ends early instead (the browser's
 * ERR_CONTENT_LENGTH_MISMATCH). Returns the function that lets the files through again.
 */
export async function truncateResponses(
  page: Page,
  url: string | RegExp,
  options: { keep?: number; cutOff?: boolean } = {},
): Promise<() => Promise<void>> {
  const keep = options.keep ?? 0.5;
  const handler = async (route: Route) => {
    try {
      const response = await route.fetch();
      const body = await response.body();
      const headers = { ...response.headers() };
      if (!options.cutOff) delete headers['content-length'];
      await route.fulfill({ response, headers, body: body.subarray(0, Math.floor(body.length * keep)) });
    } catch (e) {
      ignoreHandledRoute(e);
    }
  };
  await page.route(url, handler);
  return () => page.unroute(url, handler);
}

/**
 * A worker's request can reach a page's route handler twice in Chromium (through the page and the worker), and the
 * page may go away mid-fetch: the second answer is refused, which is not a failure of the test.
 */
function ignoreHandledRoute(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  if (/already handled|has been closed|Target closed/i.test(message)) return;
  throw e;
}

/**
 * Crash the page's Web Worker whose script URL matches `url` (or its only worker): an uncaught error thrown in it,
 * which reaches the page as the worker's `error` event, as a crash does. Returns the crashed worker's URL.
 */
export async function crashWorker(page: Page, url?: RegExp): Promise<string> {
  const workers = page.workers().filter((w) => !url || url.test(w.url()));
  const worker = workers.at(-1);
  if (!worker) {
    throw new Error(`crashWorker: no worker${url ? ` matching ${url}` : ''} (page has ${page.workers().length})`);
  }
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('the worker crashed (test)');
    }, 0);
  });
  return worker.url();
}

/**
 * A real, valid PNG of `width` × `height` pixels (1-bit grey, all black): at 20,000 × 20,000 it is about 100 KB on
 * disk and 400 megapixels — 1.6 GB as RGBA — once decoded; the upload a page must refuse before decoding.
 */
export function hugePng(width: number, height: number): Buffer {
  // Each scanline is its filter byte (0: none) and 8 pixels a byte, all zero: the raw data is zeros.
  const idat = zlib.deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
