// End to end in real Chromium (Debian's, driven by playwright-core): the built static export, served under /caption
// by the one site server (test/global-setup.ts → @recurrent/demo-site). The detector runs in the page's worker on
// the assets copied from @mediapipe/objectron; captioners only when packages/vision/models ships some.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeInChromium, screenshot, textOf, textsOf, waitUntil } from '@recurrent/demo-kit/e2e';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../lib/protocol';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describeInChromium('caption-demo', (chromium) => {
  const baseUrl = `${chromium.siteUrl}/caption`;
  let page: Page;
  let manifest: Manifest;

  beforeAll(async () => {
    manifest = JSON.parse(readFileSync(join(appDir, 'out', 'models', 'manifest.json'), 'utf8')) as Manifest;
    ({ page } = await chromium.newPage());
  });

  it('a gallery photo of a cat: the detector names Cat first, draws boxes; the page says what is missing', async () => {
    await page.goto(baseUrl);
    const gallery = JSON.parse(readFileSync(join(appDir, 'out', 'gallery', 'gallery.json'), 'utf8')) as {
      photos: { id: number; licence: string }[];
    };
    expect(gallery.photos.length).toBeGreaterThan(0);
    for (const p of gallery.photos) expect(['CC BY 2.0', 'CC BY-SA 2.0']).toContain(p.licence);
    const photoCaptioners = manifest.models.filter((m) => m.kind === 'coco-captioner');
    if (photoCaptioners.length === 0)
      await page.getByRole('note').filter({ hasText: 'No trained photo captioner' }).waitFor();
    await page.getByRole('button', { name: 'Gallery photo 358083' }).click();
    const classes = await waitUntil(
      'the detector classes',
      () => textsOf(page.getByRole('list', { name: 'Detector classes' }).locator('li')),
      (v) => v.length > 0,
      90_000,
    );
    expect(classes).toMatch(/^Cat \d+ %/);
    expect(await textOf(page.getByLabel('Detections'))).toMatch(/^[1-9]\d* box\(es\) over 50 %/);
    await expect(page.getByText('licence CC BY').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, appDir, 'photo-detector');
    if (photoCaptioners.length > 0) {
      // A shipped captioner: the caption appears word by word; hovering a word draws its attention map.
      const words = page.getByRole('region', { name: 'Caption' }).getByRole('button');
      await words.first().waitFor({ timeout: 60_000 });
      await words.first().hover();
      await page
        .getByRole('region', { name: /^Model card: / })
        .first()
        .waitFor();
      await screenshot(page, appDir, 'photo-caption');
    }
  });

  it('the scenes page composes a random scene and shows its grammar caption', async () => {
    await page.goto(`${baseUrl}/scenes`);
    const before = await waitUntil(
      'a caption',
      () => textOf(page.getByLabel('Grammar caption')),
      (v) => /a /.test(v),
    );
    await page.getByRole('button', { name: 'Random scene' }).click();
    await waitUntil(
      'another scene',
      () => textOf(page.getByLabel('Grammar caption')),
      (v) => v !== before,
    );
    await page.getByRole('button', { name: 'Add shape' }).click();
    expect(await page.getByRole('list', { name: 'Shapes in the scene' }).locator('li').count()).toBeGreaterThan(0);
    if (manifest.models.every((m) => m.kind !== 'scene-captioner'))
      await page.getByRole('note').filter({ hasText: 'No trained scenes captioner' }).waitFor();
    else {
      // Live caption of the composed scene; stepping through the words moves the highlighted word.
      const words = page.getByRole('region', { name: 'Caption' }).getByRole('button');
      await words.first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Next word →' }).click();
      await waitUntil(
        'the second word selected',
        () => textOf(words.nth(1)),
        (v) => v.length > 0,
      );
      expect(await words.nth(1).getAttribute('class')).toContain('selected');
    }
    await screenshot(page, appDir, 'scenes');
  });
});
