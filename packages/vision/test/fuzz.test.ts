// A few hundred seeded fuzz cases per vision parser (the nightly `pnpm fuzz` runs 10,000 each).
import { describe, expect, it } from 'vitest';
import { describeFailures, runFuzzTarget } from '@recurrent/test-support';
import { visionFuzzTargets } from './fuzz/targets.js';

const CASES: Record<string, number> = {
  'image headers (vision)': 300,
  'image decoding (vision)': 100,
  'TFLite flatbuffers (vision)': 100,
  'CLI arguments (recurrent-vision)': 40,
};

describe('fuzz: vision parsers reject hostile input with typed errors that name the file or argument', () => {
  for (const target of visionFuzzTargets()) {
    const cases = CASES[target.parser] ?? 60;
    it(`${target.parser}: ${cases} cases`, async () => {
      const report = await runFuzzTarget(target, { cases });
      expect(describeFailures(report)).toBe('');
      expect(report.passed).toBe(cases);
    });
  }
});
