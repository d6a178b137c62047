import type { Storage } from '../tensor/dtype.js';
import { softmaxRowStatsWasm } from '../kernels/wasm/softmax-kernels.js';
import { stableShift } from './log-softmax.js';

/** float32 logits of at least this many values take the wasm kernel (staging costs more below). */
export const WASM_SOFTMAX_MIN_SIZE = 4096;

/**
 * What a softmax over the rows of z [rows, C] needs, without a copy of z: per row the shift (the row's max, or 0
 * when it has no finite max — `stableShift`), Σ_c exp(z_c − shift) and Σ_c z_c, all float64. Then
 * lse = shift + log sumExp, softmax_c = exp(z_c − shift) / sumExp and Σ_c log p_c = sumZ − C·lse.
 */
export interface SoftmaxRowStats {
  shift: Float64Array;
  sumExp: Float64Array;
  sumZ: Float64Array;
  /** Rows computed by the float64 loop although the rest ran on wasm (a row without a finite max), or null. */
  slowRows: Uint8Array | null;
  /** Whether the float32 wasm kernel computed the other rows (its backward twin can then be used). */
  wasm: boolean;
}

/** The stats of one row by the float64 loop (exact shift, Math.exp). */
function rowStatsTS(z: Storage, row: number, C: number, stats: SoftmaxRowStats): void {
  const base = row * C;
  const shift = stableShift(z, base, C);
  let sumExp = 0;
  let sumZ = 0;
  for (let c = 0; c < C; c++) {
    const v = z[base + c]!;
    sumExp += Math.exp(v - shift);
    sumZ += v;
  }
  stats.shift[row] = shift;
  stats.sumExp[row] = sumExp;
  stats.sumZ[row] = sumZ;
}

/**
 * Softmax statistics of every row of z [rows, C]: on the wasm SIMD kernel for float32 logits of at least
 * WASM_SOFTMAX_MIN_SIZE values when the wasm backend is active (float32 exponentials within 1 ulp, float64 sums),
 * else in float64 with Math.exp.
 */
export function softmaxRowStats(z: Storage, rows: number, C: number): SoftmaxRowStats {
  const stats: SoftmaxRowStats = {
    shift: new Float64Array(rows),
    sumExp: new Float64Array(rows),
    sumZ: new Float64Array(rows),
    slowRows: null,
    wasm: false,
  };
  if (z instanceof Float32Array && rows * C >= WASM_SOFTMAX_MIN_SIZE) {
    const packed = new Float64Array(3 * rows);
    if (softmaxRowStatsWasm(z, rows, C, packed)) {
      stats.wasm = true;
      for (let i = 0; i < rows; i++) {
        const max = packed[3 * i]!;
        if (Number.isFinite(max)) {
          stats.shift[i] = max;
          stats.sumExp[i] = packed[3 * i + 1]!;
          stats.sumZ[i] = packed[3 * i + 2]!;
        } else {
          stats.slowRows ??= new Uint8Array(rows);
          stats.slowRows[i] = 1;
          rowStatsTS(z, i, C, stats);
        }
      }
      return stats;
    }
  }
  for (let i = 0; i < rows; i++) rowStatsTS(z, i, C, stats);
  return stats;
}
