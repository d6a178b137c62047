import { defineConfig } from 'vitest/config';

// No '@recurrent/source' condition here: this package tests the built, packed packages from outside the workspace.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
