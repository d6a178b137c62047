import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@recurrent/source'] },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
