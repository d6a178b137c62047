import { defineConfig } from 'vitest/config';

export default defineConfig({
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
          // Builds apps/sentiment-demo and serves it with the landing page through the site server (see the file).
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
