// One describe block of a demo's Chromium tests, with what every such suite repeats: the site URL and chromium path
// the global setup provides, the skip decision, one browser for the block, pages that record their errors, and a
// final test that fails when any of those pages raised an uncaught error.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, openPage, shouldRunE2e, type OpenPageOptions, type TestPage } from './browser';

export interface ChromiumSuiteOptions {
  /**
   * The final test also requires that no page logged a console error; it is then named "raised no uncaught errors
   * and logged no console errors" (else "raised no uncaught errors in the pages").
   */
  checkConsoleErrors?: boolean;
}

/** What the body of a `describeInChromium` block works with. */
export interface ChromiumSuite {
  /** Origin of the one site server, e.g. http://127.0.0.1:40123 ('' when the suite is skipped). */
  siteUrl: string;
  /** A new page (see `openPage`) whose errors the suite's final test checks; call it in a hook or a test. */
  newPage(options?: OpenPageOptions): Promise<TestPage>;
  /** The suite's browser, for a page whose errors are not to be checked; call it in a hook or a test. */
  browser(): Browser;
}

/**
 * `describe('<name> in Chromium', …)` for the test files of the 'e2e' project (whose global setup serves the site):
 * skipped with a loud banner when there is no chromium (failing in CI instead); launches the browser before the
 * block's own hooks and closes it after them; checks that the site URL was provided; and adds, after the body's
 * tests, the test that every page opened with `newPage` raised no uncaught error (and, with `checkConsoleErrors`,
 * logged no console error). `inject` is read here, in the test worker, where the global setup's values are.
 */
export function describeInChromium(name: string, body: (suite: ChromiumSuite) => void): void;
export function describeInChromium(
  name: string,
  options: ChromiumSuiteOptions,
  body: (suite: ChromiumSuite) => void,
): void;
export function describeInChromium(
  name: string,
  optionsOrBody: ChromiumSuiteOptions | ((suite: ChromiumSuite) => void),
  maybeBody?: (suite: ChromiumSuite) => void,
): void {
  const options = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
  const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody;
  if (!body) throw new Error(`describeInChromium('${name}'): the body (a function) is missing`);
  const chromiumPath = inject('chromiumPath');
  const siteUrl = inject('siteUrl');
  if (chromiumPath === undefined || siteUrl === undefined) {
    throw new Error(
      `describeInChromium('${name}'): no chromiumPath / siteUrl provided — run the file in a vitest project whose ` +
        'globalSetup provides them (test/global-setup.ts calling setupSite from @recurrent/demo-site/e2e-setup)',
    );
  }
  const runs = shouldRunE2e(chromiumPath, name);

  describe.skipIf(!runs)(`${name} in Chromium`, () => {
    let launched: Browser | undefined;
    const pages: TestPage[] = [];

    beforeAll(async () => {
      launched = await launchChromium(chromiumPath);
      expect(siteUrl, 'global setup did not serve the site').toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    afterAll(async () => {
      await launched?.close();
    });

    const browser = (): Browser => {
      if (!launched) throw new Error(`${name}: no browser yet (it is launched in beforeAll: use it in a hook or test)`);
      return launched;
    };

    body({
      siteUrl,
      browser,
      newPage: async (pageOptions) => {
        const opened = await openPage(browser(), pageOptions);
        pages.push(opened);
        return opened;
      },
    });

    const finalTest = options.checkConsoleErrors
      ? 'raised no uncaught errors and logged no console errors'
      : 'raised no uncaught errors in the pages';
    it(finalTest, () => {
      const errors = pages.flatMap((p) => p.errors);
      expect(errors, `uncaught errors of the pages:\n${errors.join('\n')}\n`).toEqual([]);
      if (!options.checkConsoleErrors) return;
      const consoleErrors = pages.flatMap((p) => p.consoleErrors);
      expect(consoleErrors, `console errors of the pages:\n${consoleErrors.join('\n')}\n`).toEqual([]);
    });
  });
}
