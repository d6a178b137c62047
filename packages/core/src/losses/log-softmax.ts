import type { Storage } from '../tensor/dtype.js';

/**
 * Row-wise log-softmax of `src` viewed as [rows, classes] into `out` (may be the same dtype or not),
 * computed stably as z − max − log Σ exp(z − max). Returns nothing; `out` is filled.
 */
export function logSoftmaxRows(src: Storage, rows: number, classes: number, out: Storage): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = src[base + c]!;
      if (v > max || Number.isNaN(v)) max = v;
    }
    // A row of -inf (or containing +inf/NaN) has no finite shift; fall back to 0 so the result is -inf/NaN like torch.
    const shift = Number.isFinite(max) ? max : 0;
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(src[base + c]! - shift);
    const lse = shift + Math.log(sum);
    for (let c = 0; c < classes; c++) out[base + c] = src[base + c]! - lse;
  }
}
