// The vitest configuration every demo app (and the one site) shares: a 'unit' project over test/unit/ and an 'e2e'
// project over test/e2e.test.ts and test/e2e-*.test.ts (e.g. e2e-faults.test.ts: one build for both) whose global
// setup (test/global-setup.ts) builds the app and serves it through the one site server; results also go to
// test-results.json (read by scripts/summarize-tests.mjs).

/** @param {import('./vitest-config.d.mts').DemoTestOptions} [options] */
export function demoTestConfig(options = {}) {
  const conditions = options.sourceConditions ? { resolve: { conditions: ['@recurrent/source'] } } : {};
  return {
    ...conditions,
    ...(options.sourceConditions ? { ssr: { resolve: { conditions: ['@recurrent/source'] } } } : {}),
    test: {
      pool: 'threads',
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      projects: [
        { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
        {
          extends: true,
          test: {
            name: 'e2e',
            include: ['test/e2e.test.ts', 'test/e2e-*.test.ts'],
            fileParallelism: false, // one Chromium at a time
            globalSetup: ['test/global-setup.ts'],
            testTimeout: options.e2eTestTimeout ?? 90_000,
            hookTimeout: options.e2eHookTimeout ?? 90_000,
          },
        },
      ],
    },
  };
}
