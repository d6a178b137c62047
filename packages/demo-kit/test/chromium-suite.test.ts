// describeInChromium run for real: a child vitest over chromium-suite-fixture/ (a local server, Debian's chromium).
// Its final test must be able to fail: it passes for clean pages (a page from browser() is not checked), fails with
// the page's uncaught error, and with checkConsoleErrors fails with a console error and an HTTP 404.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium, shouldRunE2e } from '../src/e2e/browser';

const fixtureConfig = fileURLToPath(new URL('chromium-suite-fixture/vitest.config.ts', import.meta.url));
const vitestCli = fileURLToPath(new URL('../vitest.mjs', import.meta.resolve('vitest')));

interface TestResult {
  fullName: string;
  status: string;
  failureMessages: string[];
}

describe.skipIf(!shouldRunE2e(findChromium() ?? '', 'demo-kit describeInChromium'))('describeInChromium', () => {
  const results = new Map<string, TestResult>();

  beforeAll(() => {
    const outputFile = join(mkdtempSync(join(tmpdir(), 'chromium-suite-')), 'results.json');
    const run = spawnSync(
      process.execPath,
      [vitestCli, 'run', '--config', fixtureConfig, '--reporter=json', `--outputFile=${outputFile}`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (run.error) throw run.error;
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      testResults: { assertionResults: TestResult[] }[];
    };
    for (const t of report.testResults.flatMap((f) => f.assertionResults)) results.set(t.fullName, t);
  }, 150_000);

  const result = (fullName: string): TestResult => {
    const found = results.get(fullName);
    if (!found) throw new Error(`no test "${fullName}" in the fixture run; it ran: ${[...results.keys()].join(' | ')}`);
    return found;
  };

  it('runs each block\'s tests, then its final test, under "<name> in Chromium"', () => {
    expect([...results.keys()]).toEqual([
      'fixture clean in Chromium opens a clean page and a 404 outside the checked pages',
      'fixture clean in Chromium raised no uncaught errors in the pages',
      'fixture throws in Chromium opens a page that throws',
      'fixture throws in Chromium raised no uncaught errors in the pages',
      'fixture logs in Chromium opens a page that logs an error and asks for a missing one',
      'fixture logs in Chromium raised no uncaught errors and logged no console errors',
    ]);
  });

  it('passes the final test when the checked pages raised nothing', () => {
    expect(result('fixture clean in Chromium raised no uncaught errors in the pages').status).toBe('passed');
  });

  it("fails the final test with a page's uncaught error", () => {
    const final = result('fixture throws in Chromium raised no uncaught errors in the pages');
    expect(final.status).toBe('failed');
    expect(final.failureMessages.join('\n')).toContain('TypeError: thrown by the page');
  });

  it('with checkConsoleErrors, fails the final test with what the pages logged and an HTTP error', () => {
    const final = result('fixture logs in Chromium raised no uncaught errors and logged no console errors');
    expect(final.status).toBe('failed');
    expect(final.failureMessages.join('\n')).toContain('logged by the page');
    expect(final.failureMessages.join('\n')).toMatch(/HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/missing/);
  });
});
