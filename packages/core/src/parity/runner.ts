import type { DType } from '../tensor/dtype.js';
import { parseCase, type ParityCase } from './case.js';
import { compareValues } from './compare.js';
import { handlerFor } from './registry.js';
import './handlers/index.js';

export interface Tolerances {
  outputs: number;
  grads: number;
}

/** Float64 must agree to near machine precision; float32 to the reference README's stated accuracy. */
export const DEFAULT_TOLERANCES: Record<DType, Tolerances> = {
  float64: { outputs: 1e-9, grads: 1e-9 },
  float32: { outputs: 1e-4, grads: 1e-4 },
};

export interface CaseReport {
  name: string;
  dtype: DType;
  passed: boolean;
  maxOutputError: number;
  maxGradError: number;
  checked: number;
  failures: string[];
}

/** Build and run one case in `dtype`, comparing every output, the loss and every gradient it lists. */
export function runCase(
  name: string,
  json: unknown,
  dtype: DType,
  tol: Tolerances = DEFAULT_TOLERANCES[dtype],
): CaseReport {
  const report: CaseReport = {
    name,
    dtype,
    passed: false,
    maxOutputError: 0,
    maxGradError: 0,
    checked: 0,
    failures: [],
  };
  let c: ParityCase;
  try {
    c = parseCase(name, json, dtype);
    const result = handlerFor(c.module)(c);
    const check = (kind: 'output' | 'grad', key: string, got: unknown, expected: unknown): void => {
      report.checked++;
      let err: number;
      try {
        err = compareValues(got, expected, `${kind} '${key}'`);
      } catch (e) {
        report.failures.push((e as Error).message);
        return;
      }
      if (kind === 'output') report.maxOutputError = Math.max(report.maxOutputError, err);
      else report.maxGradError = Math.max(report.maxGradError, err);
      const limit = kind === 'output' ? tol.outputs : tol.grads;
      if (!(err <= limit)) report.failures.push(`${kind} '${key}': relative error ${err.toExponential(2)} > ${limit}`);
    };
    for (const [key, expected] of Object.entries(c.outputs)) check('output', key, result.outputs[key], expected);
    if (c.loss !== undefined) check('output', 'loss', result.loss, c.loss);
    for (const [key, expected] of Object.entries(c.grads))
      check('grad', key, result.grads?.[key] ?? undefined, expected);
  } catch (e) {
    report.failures.push(`error: ${(e as Error).message}`);
  }
  report.passed = report.failures.length === 0 && report.checked > 0;
  if (report.checked === 0 && report.failures.length === 0) report.failures.push('nothing to compare');
  return report;
}
