import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCase } from '../src/parity/runner.js';
import { findReferenceDir } from '../src/io/paths.js';

const ref = findReferenceDir();
const dir = ref ? join(ref, 'pytorch') : null;
const files = dir
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describe.skipIf(!dir)('PyTorch parity (shared/reference/pytorch)', () => {
  it('finds the reference cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(24);
  });
  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    it(name, () => {
      const json = JSON.parse(readFileSync(join(dir!, file), 'utf8'));
      for (const dtype of ['float64', 'float32'] as const) {
        const report = runCase(name, json, dtype);
        expect(report.failures, `${dtype}: ${report.failures.join('; ')}`).toEqual([]);
        expect(report.passed).toBe(true);
      }
    });
  }
});
