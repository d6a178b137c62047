// Faults in real Chromium, through the one site server: a 20,000 × 20,000 PNG upload (400 megapixels, 1.6 GB once
// decoded) is refused from its header with its size and the limit, and the page stays usable — the next photo runs
// through the detector; a crashed worker is reported and the next photo starts a new one. Helpers:
// @recurrent/demo-kit/e2e (hugePng, crashWorker).
import { fileURLToPath } from 'node:url';
import {
  crashWorker,
  describeInChromium,
  hugePng,
  screenshot,
  slowestMainThreadResponse,
  textsOf,
  waitUntil,
} from '@recurrent/demo-kit/e2e';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describeInChromium('caption-demo faults', (chromium) => {
  const baseUrl = `${chromium.siteUrl}/caption`;
  let page: Page;

  beforeAll(async () => {
    ({ page } = await chromium.newPage());
  });

  const alerts = () => textsOf(page.getByRole('alert'));
  const classes = () => textsOf(page.getByRole('list', { name: 'Detector classes' }).locator('li'));

  it('a 20,000 × 20,000 PNG upload is refused before decoding, and the next photo works', async () => {
    await page.goto(baseUrl);
    const png = hugePng(20_000, 20_000);
    await page.locator('input[type="file"]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: png });
    const shown = await waitUntil('the refusal', alerts, (v) => v.includes('huge.png'));
    expect(shown).toContain(
      'huge.png is 20,000 × 20,000 pixels (400 megapixels): too large to open in the browser — this page reads ' +
        'photos up to 40 megapixels. Resize it or pick another one.',
    );
    expect(await slowestMainThreadResponse(page), 'the main thread was blocked').toBeLessThan(1000);
    await screenshot(page, appDir, 'fault-huge-upload', false);
    // The next action works: a gallery photo runs through the detector, and the refusal is gone.
    await page.getByRole('button', { name: 'Gallery photo 358083' }).click();
    expect(await waitUntil('the detector classes', classes, (v) => v.length > 0, 90_000)).toMatch(/^Cat \d+ %/);
    expect(await alerts()).toBe('');
  });

  it('a crashed worker is reported, and the next photo runs in a new one', async () => {
    await crashWorker(page);
    const shown = await waitUntil('the crash', alerts, (v) => v.includes('stopped'), 30_000);
    expect(shown).toContain('the inference worker failed');
    await page.getByRole('button', { name: 'Gallery photo 358083' }).click();
    // Picking the same photo again decodes it anew: a new Photo runs through the restarted worker.
    await waitUntil('the crash notice gone', alerts, (v) => v === '', 30_000);
    expect(await waitUntil('the detector classes', classes, (v) => v.length > 0, 90_000)).toMatch(/^Cat \d+ %/);
  });
});
