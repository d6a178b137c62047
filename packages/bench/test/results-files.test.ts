import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resultsBaseName } from '../src/results-files.js';

describe('bench result files', () => {
  it('only the complete run writes the committed bench-results files', () => {
    expect(resultsBaseName({ quick: false, only: null, impls: null })).toBe('bench-results');
    expect(resultsBaseName({ quick: true, only: null, impls: null })).toBe('bench-results.quick');
    expect(resultsBaseName({ quick: true, only: ['W2'], impls: ['ours'] })).toBe('bench-results.quick');
    expect(resultsBaseName({ quick: false, only: ['W1'], impls: null })).toBe('bench-results.partial');
    expect(resultsBaseName({ quick: false, only: null, impls: ['ours'] })).toBe('bench-results.partial');
  });

  it('the quick and partial files are git-ignored, the committed ones are not', () => {
    const ignored = readFileSync(new URL('../.gitignore', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toContain('bench-results.quick.*');
    expect(ignored).toContain('bench-results.partial.*');
    const committed = ['bench-results.*', 'bench-results.md', 'bench-results.json'];
    expect(ignored.some((l) => committed.includes(l))).toBe(false);
  });

  it('main.ts writes through resultsBaseName, never to a literal bench-results path', () => {
    const main = readFileSync(new URL('../src/main.ts', import.meta.url), 'utf8');
    expect(main).toContain('resultsBaseName(');
    expect(main).not.toMatch(/['"`]bench-results\.(md|json)['"`]/);
  });
});
