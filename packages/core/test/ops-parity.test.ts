import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../src/parity/handlers/functional.js';
import { handlerFor } from '../src/parity/registry.js';
import { parseCase } from '../src/parity/case.js';
import { compareValues } from '../src/parity/compare.js';
import { findReferenceDir } from '../src/io/paths.js';

// Only the 'functional' handler is loaded (not the whole handler index), so this checks the ops on their own.
describe("parity: 'functional' (stable_math.json)", () => {
  const ref = findReferenceDir();
  it.skipIf(!ref)('matches PyTorch for ±1000, 88.7, −103 and 1e−8 in float64 and float32', () => {
    const json = JSON.parse(readFileSync(join(ref!, 'pytorch', 'stable_math.json'), 'utf8'));
    for (const [dtype, tol] of [
      ['float64', 1e-12],
      ['float32', 1e-5],
    ] as const) {
      const c = parseCase('stable_math', json, dtype);
      const result = handlerFor(c.module)(c);
      const keys = Object.keys(c.outputs);
      expect(keys).toContain('log_softmax');
      for (const key of keys) {
        const err = compareValues(result.outputs[key], c.outputs[key], key);
        expect(err, `${dtype} ${key}`).toBeLessThanOrEqual(tol);
      }
    }
  });
});
