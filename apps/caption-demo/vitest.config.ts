import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@recurrent/source'] },
  test: {
    pool: 'threads',
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e.test.ts'],
          // Builds the static export once and serves it on a free port (see the file).
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
