// The one site in real Chromium: the landing page at /, a card per built demo, and the sentiment demo reached
// through it under /sentiment (its worker, WebAssembly kernels and model files all through the site server).
import { fileURLToPath } from 'node:url';
import { describeInChromium, openPage, screenshot, textOf, waitUntil } from '@recurrent/demo-kit/e2e';
import type { Page, Response } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describeInChromium('the demo site', ({ siteUrl, newPage, browser }) => {
  let page: Page;
  const responses: Response[] = [];

  beforeAll(async () => {
    ({ page } = await newPage());
    page.on('response', (r) => responses.push(r));
  });

  it('the landing page links each built demo with its picture and description', async () => {
    const response = await page.goto(`${siteUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Recurrent · demos');
    const cards = page.getByRole('list', { name: 'Demos' }).getByRole('link');
    expect(await cards.count()).toBe(1);
    const card = cards.first();
    expect(await card.getAttribute('href')).toBe('/sentiment');
    expect(await textOf(card.getByRole('heading'))).toBe('Sentiment and next word');
    expect(await textOf(card.locator('p'))).toMatch(/reads a review word by word/);
    const pictureWidth = await card
      .locator('img')
      .evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    expect(pictureWidth, 'the picture loads').toBeGreaterThan(0);
    await screenshot(page, packageDir, 'landing');
  });

  it('the sentiment demo, reached from the landing page, classifies through the one server', async () => {
    await page.getByRole('link', { name: /Sentiment and next word/ }).click();
    await page.waitForURL(`${siteUrl}/sentiment`);
    await page.getByRole('status', { name: 'Model status' }).filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Review text', { exact: true }).fill('A wonderful, moving and beautifully acted film.');
    const verdict = await waitUntil(
      'a verdict',
      () => textOf(page.getByRole('status', { name: 'Verdict' })),
      (v) => v === 'Positive' || v === 'Negative',
    );
    expect(verdict).toBe('Positive');
    await screenshot(page, packageDir, 'sentiment-through-site');

    const model = responses.find((r) => r.url().endsWith('/sentiment/models/sst2/model.safetensors'));
    expect(model?.status(), 'the worker fetched the weights under /sentiment').toBe(200);
    expect(model?.headers()['content-type']).toBe('application/octet-stream');
    const chunk = responses.find((r) => /\/sentiment\/_next\/static\/chunks\/.+\.js$/.test(r.url()));
    expect(chunk?.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    const html = responses.find((r) => r.url() === `${siteUrl}/sentiment`);
    expect(html?.headers()['cache-control']).toBe('no-cache');
  });

  it('the navigation moves within the demo and back to the landing page', async () => {
    await page.getByRole('navigation', { name: 'Demos' }).getByRole('link', { name: 'Next word' }).click();
    await page.waitForURL(`${siteUrl}/sentiment/next-word`);
    const topk = page.getByRole('list', { name: /^Top \d+ next/ });
    await waitUntil(
      'the top-k list',
      async () => topk.locator('li').count(),
      (n) => n === 10,
      60_000,
    );
    const reload = await page.goto(`${siteUrl}/sentiment/next-word/`);
    expect(reload?.status(), 'a trailing slash serves the same page').toBe(200);
    await page.getByRole('link', { name: /^Recurrent/ }).click();
    await page.waitForURL(`${siteUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Recurrent demos');
  });

  it('answers an unknown path with the 404 page', async () => {
    const response = await page.goto(`${siteUrl}/translate-nothing-here`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    const appMissing = await page.goto(`${siteUrl}/sentiment/%2e%2e/%2e%2e/package.json`);
    expect(appMissing?.status()).toBe(404);
  });

  it('a model file that fails to load and a worker that crashes are shown, not a silent hang', async () => {
    const { page: failing } = await newPage();
    await failing.route('**/sentiment/models/sst2/model.safetensors', (route) =>
      route.fulfill({ status: 404, body: '' }),
    );
    await failing.goto(`${siteUrl}/sentiment`);
    const alert = failing.getByRole('alert').filter({ hasText: 'Could not load the SST-2 model' });
    await alert.waitFor({ timeout: 30_000 });
    expect(await textOf(alert)).toContain('could not load /sentiment/models/sst2/model.safetensors: HTTP 404');

    // the crash is the point of this page: its errors are not checked
    const { page: crashing } = await openPage(browser());
    await crashing.route(/\/_next\/static\/chunks\/inference\.[0-9a-f]+\.js$/, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("the worker script is broken");' }),
    );
    await crashing.goto(`${siteUrl}/sentiment`);
    const stopped = crashing.getByRole('alert').filter({ hasText: 'The models stopped working' });
    await stopped.waitFor({ timeout: 30_000 });
    expect(await textOf(stopped)).toContain('the inference worker failed');
    // The classification the page asked for fails visibly too, instead of "Reading…" forever.
    await crashing
      .getByRole('alert')
      .filter({ hasText: 'Something went wrong: the inference worker failed' })
      .waitFor();
    expect(await textOf(crashing.getByRole('status', { name: 'Verdict' }))).toBe('—');
    await screenshot(crashing, packageDir, 'worker-crash');
    await failing.close();
    await crashing.close();
  });
});
