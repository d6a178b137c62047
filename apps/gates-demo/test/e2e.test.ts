// End to end in real Chromium (Debian's, driven by playwright-core): the built static export served under /gates by
// the one site server (test/global-setup.ts → @recurrent/demo-site). Small races (T = 20, 16 hidden units, 600
// steps) keep it short; GATES_DEFAULT_RUN=1 also runs the page's default race to its end and reports its time.
import { fileURLToPath } from 'node:url';
import {
  describeInChromium,
  screenshot,
  textOf as text,
  waitUntil,
  slowestMainThreadResponse,
} from '@recurrent/demo-kit/e2e';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const CELLS = ['rnn', 'irnn', 'lstm', 'gru'] as const;
/** Steps of the small races: a few seconds at T = 20 with 16 hidden units (about 8 ms a step, measured). */
const BUDGET = 600;

describeInChromium('gates-demo', { checkConsoleErrors: true }, (chromium) => {
  const baseUrl = `${chromium.siteUrl}/gates`;
  let page: Page;

  beforeAll(async () => {
    ({ page } = await chromium.newPage({ recordHttpErrors: true }));
  });

  const phase = async () => (await page.locator('output[aria-label="Progress"]').getAttribute('data-phase')) ?? '';
  const stepNow = async () => {
    const m = /^step (\d+) of/.exec(await text(page.locator('output[aria-label="Progress"]')));
    return m ? Number(m[1]) : 0;
  };
  const field = (name: string) =>
    Promise.all(CELLS.map((c) => text(page.locator(`tr[data-cell="${c}"] td[data-field="${name}"]`))));
  const badges = (cell: string) => page.locator(`tr[data-cell="${cell}"] .badge`).allTextContents();
  const waitPhase = (want: string, timeoutMs = 60_000) =>
    waitUntil(`phase ${want}`, phase, (p) => p === want, timeoutMs);

  async function smallRace(): Promise<void> {
    await page.locator('#length').fill('20');
    await page.getByRole('spinbutton', { name: 'Budget (steps)' }).fill(String(BUDGET));
    await page.getByRole('combobox', { name: 'Hidden size' }).selectOption('16');
    await page.getByRole('combobox', { name: 'Batch' }).selectOption('16');
  }

  it('is listed on the landing page and links to /gates', async () => {
    // Its own tab: the landing page is @recurrent/demo-site's (it has no favicon; this suite checks only /gates).
    const landing = await chromium.browser().newPage();
    await landing.goto(chromium.siteUrl);
    const link = landing.getByRole('link', { name: /Why gates/ }).first();
    expect(await link.getAttribute('href')).toMatch(/^\/gates\/?$/);
    await landing.close();
  });

  it('trains the four cells live, pauses and resumes, and reproduces a run from its seed', async () => {
    await page.goto(baseUrl);
    await smallRace();
    await page.getByRole('button', { name: 'Start' }).click();
    await waitUntil('ten steps', stepNow, (s) => s >= 10);
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitPhase('paused');
    const pausedAt = await stepNow();
    expect(pausedAt).toBeLessThan(BUDGET);
    await new Promise((r) => setTimeout(r, 800));
    expect(await stepNow(), 'training went on while paused').toBe(pausedAt);
    const early = await field('loss');
    expect(
      early.every((v) => Number.isFinite(Number(v))),
      `losses ${early}`,
    ).toBe(true);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitUntil(
      'the losses to change',
      () => field('loss'),
      (v) => v.join() !== early.join(),
    );

    // The loss chart draws four curves; the gradient chart four ‖∂L/∂h_t‖ profiles with a ratio each.
    const lossChart = page.getByRole('img', { name: /^Training loss of 4 cells/ });
    const gradientChart = page.getByRole('img', {
      name: /^Gradient norm through time after \d+ training steps, 20 time steps/,
    });
    await gradientChart.waitFor({ timeout: 30_000 });
    for (const chart of [lossChart, gradientChart]) {
      const paths = await chart
        .locator('path.chart-line')
        .evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
      expect(paths).toHaveLength(4);
      expect(
        paths.every((d) => d.split('L').length > 5),
        'every curve has points',
      ).toBe(true);
    }
    expect((await field('ratio')).every((v) => /e[+-]\d+$/.test(v))).toBe(true);

    // The page answers while the worker trains.
    expect(await slowestMainThreadResponse(page), 'the main thread was blocked').toBeLessThan(1000);

    await waitPhase('finished');
    expect(await stepNow()).toBe(BUDGET);
    const heldOut = await field('held-out');
    expect(
      heldOut.every((v) => Number.isFinite(Number(v))),
      `held-out ${heldOut}`,
    ).toBe(true);
    for (const c of CELLS) expect((await badges(c)).some((b) => b.startsWith('clipped'))).toBe(false);
    await screenshot(page, appDir, 'small-race');

    // Same seed, same settings → the same run, paused or not.
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitPhase('idle');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitPhase('finished');
    expect(await field('held-out')).toEqual(heldOut);
  });

  it('clipping: turning it on starts a new run whose gradients are clipped, turning it off stops that', async () => {
    await page.getByRole('checkbox', { name: 'Clip the gradient norm' }).check();
    await waitPhase('idle'); // a setting changed after a run: the next Start is a new run
    await page.getByLabel('Clipping threshold').fill('0.05');
    await page.getByRole('button', { name: 'Start' }).click();
    for (const c of CELLS) {
      const clipped = (b: string[]) => b.some((x) => /^clipped \d+ of \d+ steps$/.test(x));
      await waitUntil(`a clipped badge for ${c}`, () => badges(c), clipped);
    }
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitPhase('paused');
    await screenshot(page, appDir, 'clipping');
    await page.getByRole('checkbox', { name: 'Clip the gradient norm' }).uncheck();
    await waitPhase('idle');
    expect(await page.getByLabel('Clipping threshold').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitUntil('twenty steps', stepNow, (s) => s >= 20);
    for (const c of CELLS) expect((await badges(c)).some((b) => b.startsWith('clipped'))).toBe(false);
    await page.getByRole('button', { name: 'Reset' }).click();
  });

  it('races on the copy task: the gradient is measured over all T + 20 steps', async () => {
    await page.goto(baseUrl);
    await page.getByRole('radio', { name: 'copy after a delay' }).check();
    await page.locator('#length').fill('10');
    await page.getByRole('spinbutton', { name: 'Budget (steps)' }).fill('40');
    await page.getByRole('combobox', { name: 'Hidden size' }).selectOption('16');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitPhase('finished');
    const gradientChart = /^Gradient norm through time after 40 training steps, 30 time steps/;
    await page.getByRole('img', { name: gradientChart }).waitFor();
    const heldOut = await field('held-out');
    expect(
      heldOut.every((v) => Number(v) > 0),
      `held-out ${heldOut}`,
    ).toBe(true);
    await page.getByRole('button', { name: 'Reset' }).click();
  });

  it('names a bad setting and will not start', async () => {
    await page.getByRole('spinbutton', { name: 'Budget (steps)' }).fill('5');
    const problems = () => text(page.getByRole('alert', { name: 'Setting problems' }));
    await waitUntil('the problem', problems, (v) => v.includes('The budget must be'));
    expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
  });

  it.runIf(process.env.GATES_DEFAULT_RUN === '1')(
    'the default race: within its budget the GRU solves the adding problem at T = 50 and the tanh RNN does not',
    async () => {
      await page.goto(baseUrl);
      const started = Date.now();
      await page.getByRole('button', { name: 'Start' }).click();
      await waitPhase('finished', 900_000);
      const seconds = (Date.now() - started) / 1000;
      const progressLine = await text(page.locator('output[aria-label="Progress"]'));
      console.log(`default race: ${seconds.toFixed(1)} s wall clock; ${progressLine}`);
      console.log(`held-out ${(await field('held-out')).join(' ')}; h_0/h_T-1 ${(await field('ratio')).join(' ')}`);
      for (const c of CELLS) console.log(`${c}: ${(await badges(c)).join(' | ')}`);
      await screenshot(page, appDir, 'default-race');
      expect((await badges('gru')).some((b) => b.startsWith('solved'))).toBe(true);
      expect((await badges('rnn')).some((b) => b.startsWith('solved'))).toBe(false);
    },
    900_000,
  );
});
