import { defineConfig } from 'vitest/config';

export default defineConfig({
  // '@recurrent/source': @recurrent/core resolves to its TypeScript sources (the unit tests train a small race).
  resolve: { conditions: ['@recurrent/source'] },
  ssr: { resolve: { conditions: ['@recurrent/source'] } },
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
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
