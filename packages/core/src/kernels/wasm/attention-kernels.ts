import { activeGateKernels } from './gate-kernels.js';

/**
 * Additive-attention scores on the wasm SIMD kernel (float32 tanh, float32 sums): scores[b·S + s] =
 * Σ_h v[h]·tanh(q[b, h] + keys[rows[b], s, h]) for every query row b, keys [K, S, H] shared by the rows that
 * point to them. Given `act` [B, S, H] (training), every tanh is kept there for the backward. Returns false (nothing
 * written) when the wasm backend is not active or H is not a multiple of 4; the caller then runs its float64 loop.
 */
export function additiveScoresWasm(
  q: Float32Array,
  keys: Float32Array,
  v: Float32Array,
  rows: ArrayLike<number>,
  S: number,
  H: number,
  scores: Float64Array,
  act: Float32Array | null = null,
): boolean {
  const k = H % 4 === 0 ? activeGateKernels() : null;
  if (!k) return false;
  const B = rows.length;
  const heap = k.gemm.heap;
  const qb = heap.alloc(B * H);
  const kb = heap.alloc(keys.length);
  const vb = heap.alloc(H);
  const tb = heap.alloc(act ? B * S * H : H);
  const ob = heap.alloc(B * S);
  try {
    const mem = heap.floats();
    mem.set(q.subarray(0, B * H), qb.ptr >> 2);
    mem.set(keys, kb.ptr >> 2);
    mem.set(v.subarray(0, H), vb.ptr >> 2);
    for (let b = 0; b < B; b++) {
      const keyRow = kb.ptr + rows[b]! * S * H * 4;
      const tmp = act ? tb.ptr + b * S * H * 4 : tb.ptr;
      k.exports.additive_scores(qb.ptr + b * H * 4, keyRow, vb.ptr, S, H, tmp, act ? 1 : 0, ob.ptr + b * S * 4);
    }
    const floats = heap.floats();
    scores.set(floats.subarray(ob.ptr >> 2, (ob.ptr >> 2) + B * S));
    if (act) act.set(floats.subarray(tb.ptr >> 2, (tb.ptr >> 2) + B * S * H));
  } finally {
    for (const buffer of [qb, kb, vb, tb, ob]) buffer.free();
  }
  return true;
}

/** What `additiveScoresBackwardWasm` accumulates into: the gradients of q [B, H], keys [K, S, H] and v [H]. */
export interface AdditiveScoreGrads {
  gq: Float32Array;
  gk: Float32Array;
  gv: Float32Array;
}

/**
 * The backward of `additiveScoresWasm` on the wasm SIMD kernel (float32): given dScore [B·S] and the kept tanh
 * activations act [B, S, H], with d = dScore[b, s]·v[h]·(1 − act[b, s, h]²) it adds d to gq[b, h] and to
 * gk[rows[b], s, h], and dScore[b, s]·act[b, s, h] to gv[h] (positions with dScore 0 are skipped). Returns false
 * (nothing written) when the wasm backend is not active or H is not a multiple of 4.
 */
export function additiveScoresBackwardWasm(
  act: Float32Array,
  v: Float32Array,
  dScore: Float64Array,
  rows: ArrayLike<number>,
  S: number,
  H: number,
  grads: AdditiveScoreGrads,
): boolean {
  const k = H % 4 === 0 ? activeGateKernels() : null;
  if (!k) return false;
  const { gq, gk, gv } = grads;
  const B = rows.length;
  const heap = k.gemm.heap;
  const ab = heap.alloc(B * S * H);
  const vb = heap.alloc(H);
  const db = heap.alloc(B * S);
  const qb = heap.alloc(B * H);
  const kb = heap.alloc(gk.length);
  const gb = heap.alloc(H);
  try {
    const mem = heap.floats();
    mem.set(act.subarray(0, B * S * H), ab.ptr >> 2);
    mem.set(v.subarray(0, H), vb.ptr >> 2);
    mem.set(dScore.subarray(0, B * S), db.ptr >> 2);
    mem.set(gq.subarray(0, B * H), qb.ptr >> 2);
    mem.set(gk, kb.ptr >> 2);
    mem.set(gv.subarray(0, H), gb.ptr >> 2);
    for (let b = 0; b < B; b++) {
      k.exports.additive_scores_backward(
        ab.ptr + b * S * H * 4,
        vb.ptr,
        db.ptr + b * S * 4,
        S,
        H,
        qb.ptr + b * H * 4,
        kb.ptr + rows[b]! * S * H * 4,
        gb.ptr,
      );
    }
    const floats = heap.floats();
    gq.set(floats.subarray(qb.ptr >> 2, (qb.ptr >> 2) + B * H));
    gk.set(floats.subarray(kb.ptr >> 2, (kb.ptr >> 2) + gk.length));
    gv.set(floats.subarray(gb.ptr >> 2, (gb.ptr >> 2) + H));
  } finally {
    for (const buffer of [ab, vb, db, qb, kb, gb]) buffer.free();
  }
  return true;
}
