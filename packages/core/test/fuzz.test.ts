// A few hundred seeded fuzz cases per core parser (the nightly `pnpm fuzz` runs 10,000 each).
import { describe, expect, it } from 'vitest';
import { describeFailures, runFuzzTarget } from '@recurrent/test-support';
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
