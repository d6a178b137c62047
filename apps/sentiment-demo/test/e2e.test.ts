// End to end in real Chromium (Debian's, driven by playwright-core): the built static export, served under
// /sentiment by the one site server (test/global-setup.ts → @recurrent/demo-site), with the models shipped in
// packages/text/models. Browser helpers: @recurrent/demo-kit/e2e.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeInChromium,
  screenshot,
  textOf as text,
  textsOf as texts,
  waitUntil,
  slowestMainThreadResponse,
} from '@recurrent/demo-kit/e2e';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { Manifest } from '../lib/protocol';

const appDir = fileURLToPath(new URL('..', import.meta.url));

const POSITIVE =
  'A wonderful, moving and beautifully acted film. One of the best movies of the year, I loved every minute.';
const NEGATIVE =
  'A boring, stupid and badly acted mess. One of the worst movies I have ever seen, a complete waste of time.';

describeInChromium('sentiment-demo', (chromium) => {
  const baseUrl = `${chromium.siteUrl}/sentiment`;
  let page: Page;
  let manifest: Manifest;

  beforeAll(async () => {
    manifest = JSON.parse(readFileSync(join(appDir, 'out', 'models', 'manifest.json'), 'utf8')) as Manifest;
    ({ page } = await chromium.newPage());
  });

  const sentimentModels = () => manifest.models.filter((m) => m.kind === 'sentiment');
  const languageModels = () => manifest.models.filter((m) => m.kind === 'language-model');
  const verdict = () => page.getByRole('status', { name: 'Verdict' });
  const review = () => page.getByLabel('Review text', { exact: true });
  const notice = (kind: string) => page.getByRole('list', { name: 'Input notices' }).locator(`li[data-kind="${kind}"]`);

  /** Wait until the notice of this kind shows `fragment` (the content the current input must produce). */
  const noticeContaining = (kind: string, fragment: string, timeoutMs = 30_000) =>
    waitUntil(
      `a "${kind}" notice containing ${fragment}`,
      () => texts(notice(kind)),
      (v) => v.includes(fragment),
      timeoutMs,
    );

  async function classify(input: string, typed: boolean): Promise<string> {
    if (typed) {
      await review().fill('');
      await review().pressSequentially(input);
    } else {
      await review().fill(input);
    }
    return waitUntil(
      'a verdict',
      () => text(verdict()),
      (v) => v === 'Positive' || v === 'Negative',
    );
  }

  it('ships at least one sentiment model and one language model', () => {
    expect(sentimentModels().length, 'no sentiment model in packages/text/models').toBeGreaterThan(0);
    expect(languageModels().length, 'no language model in packages/text/models').toBeGreaterThan(0);
  });

  it('classifies a clearly positive and a clearly negative review with every shipped sentiment model', async () => {
    await page.goto(baseUrl);
    for (const model of sentimentModels()) {
      await page.getByRole('radio', { name: new RegExp(model.title) }).check();
      expect(await classify(POSITIVE, true), `${model.name} on the positive review`).toBe('Positive');
      const pPositive = await text(page.getByRole('status', { name: 'Probability of positive' }));
      expect(Number.parseFloat(pPositive.replace(/^[<>]/, ''))).toBeGreaterThan(50);
      expect(await classify(NEGATIVE, false), `${model.name} on the negative review`).toBe('Negative');
      const pNegative = await text(page.getByRole('status', { name: 'Probability of positive' }));
      expect(Number.parseFloat(pNegative.replace(/^[<>]/, ''))).toBeLessThan(50);
    }
    // The per-word trajectory is drawn for the last review: one point per token.
    const chart = page.getByRole('img', { name: /Probability of positive after each of \d+ tokens/ });
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.locator('circle').count()).toBeGreaterThan(10);
    await page.getByRole('radio', { name: new RegExp(sentimentModels()[0]!.title) }).check();
    await page.getByRole('button', { name: 'Turns around' }).click();
    await waitUntil(
      'a verdict',
      () => text(verdict()),
      (v) => v === 'Positive' || v === 'Negative',
    );
    await chart.waitFor({ timeout: 30_000 });
    await screenshot(page, appDir, 'sentiment');
  });

  it('shows a visible message for each kind of bad input and never freezes', async () => {
    await page.goto(baseUrl);
    await page.getByRole('radio', { name: new RegExp(sentimentModels()[0]!.title) }).check();

    // Each step waits for what the new input must produce (its own notice text, its own verdict), never for the
    // mere presence of an element an earlier step may have left on the page.
    await review().fill('   \n ');
    await noticeContaining('empty', 'Nothing to classify');
    expect(await text(verdict())).toBe('—');

    // 60,000 characters: truncated with a notice, classified, and the page answers while the worker computes.
    await page.getByRole('button', { name: '60,000 characters' }).click();
    expect(await slowestMainThreadResponse(page), 'the main thread was blocked').toBeLessThan(1000);
    await noticeContaining('truncated', '60,000 characters; only the first 50,000 were read', 60_000);
    expect(await text(verdict())).toMatch(/^(Positive|Negative)$/);
    await screenshot(page, appDir, 'sentiment-long-input', false);

    await page.getByRole('button', { name: 'Emoji' }).click();
    await noticeContaining('emoji', '😍');
    expect(await notice('truncated').count(), "the long text's notice outlived it").toBe(0);

    await page.getByRole('button', { name: 'Other scripts' }).click();
    await waitUntil(
      'the other-scripts notice',
      () => texts(notice('script')),
      (v) => /фильм|映画/.test(v),
    );
    expect(await notice('emoji').count(), "the emoji text's notice outlived it").toBe(0);

    await page.getByRole('button', { name: 'Made-up words' }).click();
    await noticeContaining('unknown', '“zorblaxed”');
    expect(await notice('script').count(), 'the other-scripts notice outlived its text').toBe(0);
    expect(await text(verdict())).toMatch(/^(Positive|Negative)$/);
    await screenshot(page, appDir, 'sentiment-bad-input');
  });

  it('next-word page: top-k predictions follow the prefix, and sampling writes a continuation', async () => {
    await page.goto(`${baseUrl}/next-word`);
    const prefix = page.getByLabel('Prefix', { exact: true });
    const topk = page.getByRole('list', { name: /^Top \d+ next/ });
    // A list kept on screen while the worker answers a newer prefix is marked aria-busy: it is not the answer yet.
    const readTopk = async () =>
      (await topk.getAttribute('aria-busy', { timeout: 1_000 }).catch(() => 'true')) === 'false'
        ? (await topk.locator('li .topk-text').allTextContents()).join('|')
        : '';
    const continuation = page.getByRole('region', { name: 'Generated text' }).locator('.generation-continuation');

    for (const model of languageModels()) {
      await page.getByRole('radio', { name: new RegExp(model.title) }).check();
      const unit = model.tokenizer === 'char' ? 'characters' : 'words';
      await page.getByRole('heading', { name: `Top 10 next ${unit}` }).waitFor();
      await prefix.fill(model.tokenizer === 'char' ? 'ROMEO:\nWhat light through yonder window ' : 'the film was');
      const first = await waitUntil('the top-k list', readTopk, (v) => v.split('|').length === 10);
      await prefix.fill(
        model.tokenizer === 'char'
          ? 'KING RICHARD III:\nNow is the winter of our discontent\nMade glorious summer by this sun of Yor'
          : 'i would not recommend this',
      );
      const second = await waitUntil(
        'the top-k list to change',
        readTopk,
        (v) => v !== first && v.split('|').length === 10,
      );
      expect(second).not.toBe(first);
      if (model.tokenizer === 'char')
        expect(second.split('|')[0], 'after "Yor" a trained char model predicts "k"').toBe('k');
      const probabilities = (await topk.locator('.topk-probability').allTextContents()).map((p) =>
        Number.parseFloat(p),
      );
      expect(probabilities.every((p, i) => i === 0 || p <= probabilities[i - 1]!)).toBe(true);

      await page.getByRole('button', { name: 'Generate' }).click();
      const sample1 = await waitUntil(
        'a generated continuation',
        () => text(continuation),
        (v) => v.length > 0,
        60_000,
      );
      await page.getByLabel(/^Temperature/).fill('1.5');
      await page.getByRole('button', { name: 'Sample again' }).click();
      const sample2 = await waitUntil(
        'another continuation',
        () => text(continuation),
        (v) => v.length > 0 && v !== sample1,
        60_000,
      );
      expect(sample2).not.toBe(sample1);
      await screenshot(page, appDir, `next-word-${model.name}`);

      await page.getByRole('button', { name: 'Empty', exact: true }).click();
      await page.getByRole('list', { name: 'Prefix notices' }).locator('li[data-kind="empty"]').waitFor();
      await waitUntil('top-k for the empty prefix', readTopk, (v) => v.split('|').length === 10);
    }
    const charModel = languageModels().find((m) => m.tokenizer === 'char') ?? languageModels()[0]!;
    await page.getByRole('radio', { name: new RegExp(charModel.title) }).check();
    await page.getByRole('group', { name: 'Example prefixes' }).getByRole('button').first().click();
    await page.getByLabel(/^Temperature/).fill('0.8');
    await page.getByRole('button', { name: 'Generate' }).click();
    await waitUntil(
      'a generated continuation',
      () => text(continuation),
      (v) => v.length > 0,
      60_000,
    );
    await screenshot(page, appDir, 'next-word');
  });
});
