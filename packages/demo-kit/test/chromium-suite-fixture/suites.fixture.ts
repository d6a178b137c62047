// Three describeInChromium blocks for test/chromium-suite.test.ts: pages that stay clean, a page that throws (its
// final test must fail), and a page that logs an error to the console under checkConsoleErrors (likewise).
import { expect, it } from 'vitest';
import { describeInChromium } from '../../src/e2e/chromium-suite';

describeInChromium('fixture clean', (chromium) => {
  it('opens a clean page and a 404 outside the checked pages', async () => {
    const { page } = await chromium.newPage();
    await page.goto(`${chromium.siteUrl}/clean`);
    expect(await page.textContent('p')).toBe('clean');
    const unchecked = await chromium.browser().newPage();
    await unchecked.goto(`${chromium.siteUrl}/throws`);
    await unchecked.waitForTimeout(200);
    await unchecked.close();
  });
});

describeInChromium('fixture throws', (chromium) => {
  it('opens a page that throws', async () => {
    const { page, errors } = await chromium.newPage();
    await page.goto(`${chromium.siteUrl}/throws`);
    await expect.poll(() => errors.length).toBe(1);
  });
});

describeInChromium('fixture logs', { checkConsoleErrors: true }, (chromium) => {
  it('opens a page that logs an error and asks for a missing one', async () => {
    const { page, consoleErrors } = await chromium.newPage({ recordHttpErrors: true });
    await page.goto(`${chromium.siteUrl}/logs`);
    await page.goto(`${chromium.siteUrl}/missing`);
    await expect.poll(() => consoleErrors.length).toBeGreaterThanOrEqual(2);
  });
});
