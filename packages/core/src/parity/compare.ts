import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';

/**
 * Relative error of `got` against `expected`: max |got − expected| / max(|expected|, 1e-3·max|expected|).
 * Elements tiny against the tensor's own scale are judged against that scale, so a 1e-9 gradient entry
 * does not fail a float32 run. Equal infinities count as exact. Throws on shape mismatch.
 */
export function relativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(expected[i]!);
    if (Number.isFinite(e) && e > scale) scale = e;
  }
  const floor = Math.max(scale * 1e-3, 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (g === e) continue;
    if (!Number.isFinite(g) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
    const err = Math.abs(g - e) / Math.max(Math.abs(e), floor);
    if (err > worst) worst = err;
  }
  return worst;
}

export type Comparable = Tensor | number | Comparable[];

/** Relative error of a possibly nested value; throws with the path on a structural mismatch. */
export function compareValues(got: unknown, expected: unknown, path: string): number {
  if (expected instanceof Tensor) {
    if (!(got instanceof Tensor)) throw new Error(`${path}: expected a tensor, got ${describe(got)}`);
    if (!shapesEqual(got.shape, expected.shape)) {
      throw new Error(`${path}: expected shape ${formatShape(expected.shape)}, got ${formatShape(got.shape)}`);
    }
    return relativeError(got.data, expected.data);
  }
  if (typeof expected === 'number') {
    const g = got instanceof Tensor && got.size === 1 ? got.data[0]! : got;
    if (typeof g !== 'number') throw new Error(`${path}: expected a number, got ${describe(got)}`);
    return relativeError([g], [expected]);
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) {
      throw new Error(`${path}: expected a list of ${expected.length}, got ${describe(got)}`);
    }
    return expected.reduce<number>((m, e, i) => Math.max(m, compareValues(got[i], e, `${path}[${i}]`)), 0);
  }
  return 0;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `tensor ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `list of ${v.length}`;
  return v === undefined ? 'nothing' : typeof v;
}
