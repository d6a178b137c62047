import type { Storage } from '../tensor/dtype.js';

/**
 * Row-wise log-softmax of `src` viewed as [rows, classes] into `out` (may be the same dtype or not),
 * computed stably as z − max − log Σ exp(z − max). Returns nothing; `out` is filled.
 */
export function logSoftmaxRows(src: Storage, rows: number, classes: number, out: Storage): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const shift = stableShift(src, base, classes);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(src[base + c]! - shift);
    const lse = shift + Math.log(sum);
    for (let c = 0; c < classes; c++) out[base + c] = src[base + c]! - lse;
  }
}

/**
 * The shift that keeps exp(z − shift) finite for the row src[base … base+classes): its maximum, or 0 when the row
 * has no finite maximum (all -inf, or holding +inf/NaN), so the results come out -inf/NaN like torch's.
 */
export function stableShift(src: Storage, base: number, classes: number): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    const v = src[base + c]!;
    if (v > max || Number.isNaN(v)) max = v;
  }
  return Number.isFinite(max) ? max : 0;
}
