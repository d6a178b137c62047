// A few hundred seeded fuzz cases per core parser (the nightly `pnpm fuzz` runs 10,000 each).
import { describe, expect, it } from 'vitest';
import {
  CASE_MEMORY_BASE,
  type FuzzTarget,
  describeFailures,
  runFuzzCase,
  runFuzzTarget,
} from '@recurrent/test-support';
import { coreFuzzTargets } from './fuzz/targets.js';

const CASES: Record<string, number> = { 'model dir (core registry)': 60 };

describe('fuzz: core parsers reject hostile input with typed errors that name the file or argument', () => {
  for (const target of coreFuzzTargets()) {
    const cases = CASES[target.parser] ?? 300;
    it(`${target.parser}: ${cases} cases`, async () => {
      const report = await runFuzzTarget(target, { cases });
      expect(describeFailures(report)).toBe('');
      expect(report.passed).toBe(cases);
    });
  }
});

describe('fuzz case runner: the memory limit', () => {
  const target = (parser: string, run: () => unknown): FuzzTarget<null> => ({
    parser,
    generate: () => null,
    run,
    rule: () => ({}),
  });

  it('fails a case that allocates a buffer over the limit, even one already unreachable', async () => {
    const bytes = CASE_MEMORY_BASE + 32 * 2 ** 20;
    const result = await runFuzzCase(
      target('huge buffer', () => new Uint8Array(bytes).fill(1).length),
      0,
    );
    expect(result.problem).toMatch(/^allocated \d+ MB \(limit 64 MB\)$/);
  });

  it('passes cases whose only excess is JS heap they let go of (a parse tree built, then dropped)', async () => {
    const dropTree = target(
      'garbage',
      () => Array.from({ length: 2_000_000 }, (_, j) => ({ j, text: `node ${j}` })).length,
    );
    const problems = [];
    for (let seed = 0; seed < 4; seed++) problems.push((await runFuzzCase(dropTree, seed)).problem);
    expect(problems).toEqual([null, null, null, null]);
  });
});
