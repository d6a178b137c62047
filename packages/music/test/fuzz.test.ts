// A few hundred seeded fuzz cases per music parser (the nightly `pnpm fuzz` runs 10,000 each).
import { describe, expect, it } from 'vitest';
import { describeFailures, runFuzzTarget } from '@recurrent/test-support';
import { musicFuzzTargets } from './fuzz/targets.js';

const CASES: Record<string, number> = {
  'MIDI (music)': 300,
  'ABC (music)': 60,
  'CLI arguments (recurrent-music)': 60,
};

describe('fuzz: music parsers reject hostile input with typed errors that name the file or argument', () => {
  for (const target of musicFuzzTargets()) {
    const cases = CASES[target.parser] ?? 60;
    it(`${target.parser}: ${cases} cases`, async () => {
      const report = await runFuzzTarget(target, { cases });
      expect(describeFailures(report)).toBe('');
      expect(report.passed).toBe(cases);
    });
  }
});
