// A few hundred seeded fuzz cases per text parser (the nightly `pnpm fuzz` runs 10,000 each).
import { describe, expect, it } from 'vitest';
import { describeFailures, runFuzzTarget } from '@recurrent/test-support';
import { textFuzzTargets } from './fuzz/targets.js';

const CASES: Record<string, number> = {
  'tokenizer JSON (text)': 200,
  'translation input lines (text)': 150,
  'CLI arguments (recurrent-text)': 60,
};

describe('fuzz: text parsers reject hostile input with typed errors that name the file or argument', () => {
  for (const target of textFuzzTargets()) {
    const cases = CASES[target.parser] ?? 60;
    it(`${target.parser}: ${cases} cases`, async () => {
      const report = await runFuzzTarget(target, { cases });
      expect(describeFailures(report)).toBe('');
      expect(report.passed).toBe(cases);
    });
  }
});
