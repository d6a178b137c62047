import { activeGateKernels } from './gate-kernels.js';

/**
 * Additive-attention scores on the wasm SIMD kernel (float32 tanh, float32 sums): scores[b·S + s] =
 * Σ_h v[h]·tanh(q[b, h] + keys[rows[b], s, h]) for every query row b, keys [K, S, H] shared by the rows that
 * point to them. For inference (no tanh activations kept). Returns false (nothing written) when the wasm backend
 * is not active or H is not a multiple of 4; the caller then runs its float64 loop.
 */
export function additiveScoresWasm(
  q: Float32Array,
  keys: Float32Array,
  v: Float32Array,
  rows: ArrayLike<number>,
  S: number,
  H: number,
  scores: Float64Array,
): boolean {
  const k = H % 4 === 0 ? activeGateKernels() : null;
  if (!k) return false;
  const B = rows.length;
  const heap = k.gemm.heap;
  const qb = heap.alloc(B * H);
  const kb = heap.alloc(keys.length);
  const vb = heap.alloc(H);
  const tb = heap.alloc(H);
  const ob = heap.alloc(B * S);
  try {
    const mem = heap.floats();
    mem.set(q.subarray(0, B * H), qb.ptr >> 2);
    mem.set(keys, kb.ptr >> 2);
    mem.set(v.subarray(0, H), vb.ptr >> 2);
    for (let b = 0; b < B; b++) {
      const keyRow = kb.ptr + rows[b]! * S * H * 4;
      k.exports.additive_scores(qb.ptr + b * H * 4, keyRow, vb.ptr, S, H, tb.ptr, ob.ptr + b * S * 4);
    }
    scores.set(heap.floats().subarray(ob.ptr >> 2, (ob.ptr >> 2) + B * S));
  } finally {
    for (const buffer of [qb, kb, vb, tb, ob]) buffer.free();
  }
  return true;
}
