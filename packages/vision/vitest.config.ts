import { defineConfig } from 'vitest/config';

// '@recurrent/source' makes workspace packages (@recurrent/core) resolve to their TypeScript sources, no build needed.
export default defineConfig({
  resolve: { conditions: ['@recurrent/source'] },
  ssr: { resolve: { conditions: ['@recurrent/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'threads',
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
