import { defineConfig } from 'vitest/config';

// '@recurrent/source' makes workspace packages (@recurrent/core) resolve to their TypeScript sources, no build needed.
export default defineConfig({
  resolve: { conditions: ['@recurrent/source'] },
  ssr: { resolve: { conditions: ['@recurrent/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Some suites learn a BPE or read Multi30k in beforeAll: under a shared machine's load that can take over 10 s.
    hookTimeout: 120_000,
    pool: 'threads',
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
