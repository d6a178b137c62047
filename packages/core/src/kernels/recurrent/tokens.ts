// A recurrent stack fed straight from an embedding: x = E[ids], so layer 0's input projection x·W_ihᵀ is
// (E·W_ihᵀ)[ids] — one GEMM over the V rows of the table instead of the T·B tokens, then a row gather. Backward
// likewise: the gate gradients are summed per token id (dP [V, G·H]), then dW_ih = dPᵀ·E and ∂L/∂E = dP·W_ih, two
// GEMMs over V rows instead of two over T·B (and no ∂L/∂x to scatter back through the embedding). Worth it when
// V ≤ T·B / 2 (a character vocabulary). The forward computes every row as the same dot products (the same bits
// whenever both ways take the same GEMM kernel); the backward sums the same terms in another order.
import { allocate, dtypeOf, type Storage } from '../../tensor/dtype.js';
import { gemm } from '../gemm.js';

/** Layer 0's input given as token ids into an embedding table. */
export interface TokenInput {
  /** Token ids, time-major [T·B] (row t·B + b). */
  ids: Int32Array;
  /** The embedding table [V, inputSize], as it was when the forward ran. */
  table: Storage;
  V: number;
}

/** Whether projecting the table beats projecting every token (V table rows against `rows` tokens). */
export function foldsTokens(V: number, rows: number): boolean {
  return 2 * V <= rows;
}

/** out[r] = src[ids[r]] for every row r (rows of `cols`). */
export function gatherRows(src: Storage, ids: Int32Array, cols: number, out: Storage): void {
  for (let r = 0; r < ids.length; r++) {
    const o = ids[r]! * cols;
    out.set(src.subarray(o, o + cols), r * cols);
  }
}

/** dst[ids[r]] += src[r] for every row r, in row order (the same additions as the wasm kernel scatter_add_rows). */
export function scatterAddRows(src: Storage, ids: Int32Array, cols: number, dst: Storage): void {
  for (let r = 0; r < ids.length; r++) {
    const d = ids[r]! * cols;
    const s = r * cols;
    for (let j = 0; j < cols; j++) dst[d + j]! += src[s + j]!;
  }
}

/**
 * From the per-id gate gradient sums dP [V, GH]: dW_ih = dPᵀ·table ([GH, inSize]) and ∂L/∂table += dP·W_ih, added
 * into the float64 accumulator `dTable` [V, inSize].
 */
export function tokenWeightGradients(
  dP: Storage,
  t: TokenInput,
  GH: number,
  inSize: number,
  wIH: Storage,
  dTable: Storage | null,
): Storage {
  const dtype = dtypeOf(dP);
  const dW = allocate(dtype, GH * inSize);
  gemm(true, false, GH, inSize, t.V, dP, t.table, dW, false);
  if (dTable) {
    const d = allocate(dtype, t.V * inSize);
    gemm(false, false, t.V, inSize, GH, dP, wIH, d, false);
    for (let i = 0; i < d.length; i++) dTable[i]! += d[i]!;
  }
  return dW;
}

/** [B, T] ids (batch-first rows) → time-major [T, B]. */
export function timeMajorIds(ids: Int32Array, B: number, T: number): Int32Array {
  const out = new Int32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out[t * B + b] = ids[b * T + t]!;
  return out;
}
