// Run by test/chromium-suite.test.ts in a child vitest (not by the package's own `vitest run`): the suites of
// suites.fixture.ts against the local server of global-setup.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@recurrent/source'] },
  test: {
    root: import.meta.dirname,
    include: ['suites.fixture.ts'],
    globalSetup: ['global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
