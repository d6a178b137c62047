// Raw loops shared by every recurrent stack: the gate count of a mode, the input projection of all steps with the
// biases folded in, and the bias gradients as column sums.
import { allocate, type Storage } from '../../tensor/dtype.js';
import { gemm } from '../gemm.js';

/** Which recurrence a stack runs. */
export type RecurrentMode = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

/** Gates per hidden unit: rows of weight_ih are G·H. */
export function gateCount(mode: RecurrentMode): number {
  return mode === 'lstm' ? 4 : mode === 'gru' ? 3 : 1;
}

/** What `inputProjection` multiplies: `rows` input rows of `inSize` against one direction's W_ih and biases. */
export interface InputProjectionArgs {
  mode: RecurrentMode;
  rows: number;
  inSize: number;
  H: number;
  /** [rows, inSize] */
  x: Storage;
  /** [G·H, inSize] */
  wIH: Storage;
  bIH: Storage | null;
  bHH: Storage | null;
  /** [rows, G·H], overwritten. */
  out: Storage;
}

/**
 * x·W_ihᵀ for all T·B rows in one GEMM, with biases folded in: b_ih + b_hh for every gate, except that
 * the GRU's b_hn stays out (it is applied inside r ⊙ (h W_hnᵀ + b_hn)).
 */
export function inputProjection(a: InputProjectionArgs): void {
  const { mode, rows, inSize, H, x, wIH, bIH, bHH, out } = a;
  const GH = gateCount(mode) * H;
  gemm(false, true, rows, GH, inSize, x, wIH, out, false);
  if (!bIH && !bHH) return;
  const bias = allocate(out instanceof Float64Array ? 'float64' : 'float32', GH);
  if (bIH) for (let k = 0; k < GH; k++) bias[k] = bIH[k]!;
  if (bHH) {
    const upTo = mode === 'gru' ? 2 * H : GH;
    for (let k = 0; k < upTo; k++) bias[k]! += bHH[k]!;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * GH;
    for (let k = 0; k < GH; k++) out[o + k]! += bias[k]!;
  }
}

/** out[c] += Σ_r m[r, c] over `rows` rows of `cols`. */
export function columnSums(m: Storage, rows: number, cols: number, out: Storage): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c]! += m[o + c]!;
  }
}
