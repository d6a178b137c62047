import { Tensor } from '../tensor/tensor.js';
import { attachMany } from '../autograd/node.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { allocate, promote, type Storage } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { additiveScoresBackwardWasm, additiveScoresWasm } from '../kernels/wasm/attention-kernels.js';
import { gemm } from '../kernels/gemm.js';

/** Which source positions a query may attend to. Both may be given; a position must pass both. */
export interface AttentionMaskOptions {
  /** Valid length of each source row: positions s >= lengths[b] get weight exactly 0. */
  lengths?: ArrayLike<number>;
  /** [B, S], nonzero = keep, 0 = masked out. */
  mask?: Tensor | null;
  /**
   * Query row b attends over key/value row keyRows[b] (default: row b). Lets many query rows — the beams of
   * one sentence — share a single copy of their source; `lengths` and `mask` then describe the key rows.
   */
  keyRows?: ArrayLike<number> | null;
}

export interface AttentionResult {
  /** Σ_s weights[b, s] · values[b, s, :] — [B, Dv]. */
  context: Tensor;
  /** Softmax over the unmasked source positions — [B, S]; masked positions are exactly 0. */
  weights: Tensor;
}

/**
 * Combine `lengths` and `mask` into one keep-flag per [b, s] (null when nothing is masked).
 * Every row must keep at least one position: softmax over nothing has no meaning (PyTorch gives NaN).
 */
export function attentionMask(batch: number, srcLen: number, options: AttentionMaskOptions = {}): Uint8Array | null {
  const { lengths, mask } = options;
  if (!lengths && !mask) return null;
  const keep = new Uint8Array(batch * srcLen).fill(1);
  if (lengths) {
    if (lengths.length !== batch)
      throw new ShapeError(
        `attention: lengths must have one entry per batch row: expected ${batch}, got ${lengths.length}`,
      );
    for (let b = 0; b < batch; b++) {
      const len = lengths[b]!;
      if (!Number.isInteger(len) || len < 1 || len > srcLen) {
        throw new ValueError(`attention: lengths[${b}] = ${len} must be an integer in [1, ${srcLen}]`);
      }
      keep.fill(0, b * srcLen + len, (b + 1) * srcLen);
    }
  }
  if (mask) {
    if (mask.ndim !== 2 || mask.shape[0] !== batch || mask.shape[1] !== srcLen) {
      throw new ShapeError(`attention: mask must have shape [${batch}, ${srcLen}], got ${formatShape(mask.shape)}`);
    }
    for (let i = 0; i < keep.length; i++) if (mask.data[i] === 0) keep[i] = 0;
  }
  for (let b = 0; b < batch; b++) {
    let any = false;
    for (let s = 0; s < srcLen && !any; s++) any = keep[b * srcLen + s] === 1;
    if (!any)
      throw new ValueError(`attention: batch row ${b} has no unmasked source position (length 0 or all-zero mask)`);
  }
  return keep;
}

interface KeyLayout {
  /** Source length S. */
  srcLen: number;
  /** Key row of every query row. */
  rows: Int32Array;
  keep: Uint8Array | null;
}

function checkKeysValues(
  op: string,
  keys: Tensor,
  values: Tensor,
  batch: number,
  dim: number,
  options: AttentionMaskOptions,
): KeyLayout {
  const keyRows = options.keyRows ?? null;
  if (keys.ndim !== 3 || (!keyRows && keys.shape[0] !== batch) || keys.shape[2] !== dim) {
    throw new ShapeError(
      `${op}: keys must have shape [${keyRows ? 'Bk' : batch}, S, ${dim}], got ${formatShape(keys.shape)}`,
    );
  }
  const keyBatch = keys.shape[0]!;
  const srcLen = keys.shape[1]!;
  if (srcLen === 0) throw new ShapeError(`${op}: keys have no source positions (shape ${formatShape(keys.shape)})`);
  if (values.ndim !== 3 || values.shape[0] !== keyBatch || values.shape[1] !== srcLen) {
    throw new ShapeError(
      `${op}: values must have shape [${keyBatch}, ${srcLen}, Dv], got ${formatShape(values.shape)}`,
    );
  }
  let rows: Int32Array;
  if (keyRows) {
    if (keyRows.length !== batch)
      throw new ShapeError(
        `${op}: keyRows must have one entry per query row: expected ${batch}, got ${keyRows.length}`,
      );
    rows = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const r = keyRows[b]!;
      if (!Number.isInteger(r) || r < 0 || r >= keyBatch)
        throw new ValueError(`${op}: keyRows[${b}] = ${r} is not a row of the ${keyBatch} key rows`);
      rows[b] = r;
    }
  } else {
    rows = Int32Array.from({ length: batch }, (_, b) => b);
  }
  return { srcLen, rows, keep: attentionMask(keyBatch, srcLen, options) };
}

/**
 * Masked softmax of `scores` [B·S] row by row into `weights` (masked entries 0) and the weighted sum of each
 * query row's values (row `rows[b]` of `values`) into `context`.
 */
function softmaxAndContext(
  scores: Float64Array,
  layout: KeyLayout,
  values: Storage,
  Dv: number,
  weights: Storage,
  context: Storage,
): void {
  const { srcLen: S, rows, keep } = layout;
  for (let b = 0; b < rows.length; b++) {
    const row = b * S;
    const krow = rows[b]! * S;
    let max = -Infinity;
    for (let s = 0; s < S; s++) if ((!keep || keep[krow + s]) && scores[row + s]! > max) max = scores[row + s]!;
    let total = 0;
    for (let s = 0; s < S; s++) {
      if (keep && !keep[krow + s]) continue;
      const e = Math.exp(scores[row + s]! - max);
      scores[row + s] = e;
      total += e;
    }
    const ctx = b * Dv;
    if (!keep) {
      for (let s = 0; s < S; s++) weights[row + s] = scores[row + s]! / total;
      // context row = weights row [1, S] · the row's values [S, Dv]: the loop below as one product (wasm for float32)
      gemm(
        false,
        false,
        1,
        Dv,
        S,
        weights.subarray(row, row + S),
        values.subarray(krow * Dv, (krow + S) * Dv),
        context.subarray(ctx, ctx + Dv),
        true,
      );
      continue;
    }
    for (let s = 0; s < S; s++) {
      if (!keep[krow + s]) continue;
      weights[row + s] = scores[row + s]! / total;
      const wa = weights[row + s]!;
      const vs = (krow + s) * Dv;
      for (let d = 0; d < Dv; d++) context[ctx + d]! += wa * values[vs + d]!;
    }
  }
}

/**
 * Backward through softmax and the weighted sum: returns d loss / d score [B·S] (0 at masked positions)
 * and accumulates into `gradValues` when given.
 */
function softmaxContextBackward(
  gContext: Storage,
  gWeights: Storage,
  weights: Storage,
  values: Storage,
  layout: KeyLayout,
  Dv: number,
  gradValues: Storage | null,
): Float64Array {
  const { srcLen: S, rows } = layout;
  const dScore = new Float64Array(rows.length * S);
  for (let b = 0; b < rows.length; b++) {
    const row = b * S;
    const krow = rows[b]! * S;
    const gc = b * Dv;
    let weighted = 0;
    for (let s = 0; s < S; s++) {
      const a = weights[row + s]!;
      if (a === 0) continue;
      const vs = (krow + s) * Dv;
      let g = gWeights[row + s]!;
      for (let d = 0; d < Dv; d++) g += gContext[gc + d]! * values[vs + d]!;
      dScore[row + s] = g;
      weighted += a * g;
      if (gradValues) for (let d = 0; d < Dv; d++) gradValues[vs + d]! += a * gContext[gc + d]!;
    }
    for (let s = 0; s < S; s++) dScore[row + s] = weights[row + s]! * (dScore[row + s]! - weighted);
  }
  return dScore;
}

/**
 * Fused Bahdanau attention given already-projected inputs:
 * score[b, s] = v · tanh(queryProj[b] + keysProj[b, s]); weights = masked softmax over s;
 * context[b] = Σ_s weights[b, s] · values[b, s].
 * `queryProj` [B, H] (W q), `keysProj` [B, S, H] (U k, computed once per source), `v` with H elements
 * ([H] or a Linear weight [1, H]), `values` [B, S, Dv]. One autograd node with a hand-written backward.
 * With `keyRows`, keys and values have their own batch size and query row b uses key row keyRows[b].
 */
export function additiveAttention(
  queryProj: Tensor,
  keysProj: Tensor,
  v: Tensor,
  values: Tensor,
  options: AttentionMaskOptions = {},
): AttentionResult {
  if (queryProj.ndim !== 2)
    throw new ShapeError(
      `additiveAttention: projected query must have shape [B, H], got ${formatShape(queryProj.shape)}`,
    );
  const [B, H] = queryProj.shape as [number, number];
  const layout = checkKeysValues('additiveAttention', keysProj, values, B, H, options);
  if (v.size !== H || v.ndim > 2 || (v.ndim === 2 && v.shape[0] !== 1)) {
    throw new ShapeError(`additiveAttention: v must have shape [${H}] or [1, ${H}], got ${formatShape(v.shape)}`);
  }
  const { srcLen: S, rows, keep } = layout;
  const Dv = values.shape[2]!;
  const dtype = promote(queryProj.dtype, keysProj.dtype, v.dtype, values.dtype);
  const pq = queryProj.data;
  const pk = keysProj.data;
  const vd = v.data;
  // tanh activations per query row and source position, kept for the backward pass (not needed when decoding).
  const keepAct =
    isGradEnabled() && (queryProj.requiresGrad || keysProj.requiresGrad || v.requiresGrad || values.requiresGrad);
  const act = keepAct ? allocate(dtype, B * S * H) : null;
  const scores = new Float64Array(B * S);
  // float32 runs the tanh and the sums on the wasm SIMD kernel, keeping the tanh rows in `act` when training.
  const onWasm =
    (!act || act instanceof Float32Array) &&
    pq instanceof Float32Array &&
    pk instanceof Float32Array &&
    vd instanceof Float32Array &&
    additiveScoresWasm(pq, pk, vd, rows, S, H, scores, act);
  for (let b = 0; b < B && !onWasm; b++) {
    const q = b * H;
    const krow = rows[b]! * S;
    for (let s = 0; s < S; s++) {
      if (keep && !keep[krow + s]) continue;
      const a = (b * S + s) * H;
      const k = (krow + s) * H;
      let sc = 0;
      for (let h = 0; h < H; h++) {
        const t = Math.tanh(pq[q + h]! + pk[k + h]!);
        if (act) act[a + h] = t;
        sc += vd[h]! * t;
      }
      scores[b * S + s] = sc;
    }
  }
  const weights = allocate(dtype, B * S);
  const context = allocate(dtype, B * Dv);
  softmaxAndContext(scores, layout, values.data, Dv, weights, context);
  const outs = attachMany(
    [new Tensor(context, [B, Dv]), new Tensor(weights, [B, S])],
    'additive_attention',
    [queryProj, keysProj, v, values],
    ([gc, ga]) => {
      const gValues = values.requiresGrad ? allocate(dtype, values.size) : null;
      const dScore = softmaxContextBackward(gc!.data, ga!.data, weights, values.data, layout, Dv, gValues);
      const gq = allocate(dtype, B * H);
      const gk = allocate(dtype, keysProj.size);
      const gv = allocate(dtype, H);
      const onWasmBackward =
        act instanceof Float32Array &&
        vd instanceof Float32Array &&
        gq instanceof Float32Array &&
        gk instanceof Float32Array &&
        gv instanceof Float32Array &&
        additiveScoresBackwardWasm(act, vd, dScore, rows, S, H, { gq, gk, gv });
      for (let b = 0; b < B && !onWasmBackward; b++) {
        const q = b * H;
        const krow = rows[b]! * S;
        for (let s = 0; s < S; s++) {
          const ds = dScore[b * S + s]!;
          if (ds === 0) continue;
          const a = (b * S + s) * H;
          const k = (krow + s) * H;
          for (let h = 0; h < H; h++) {
            const t = act![a + h]!;
            gv[h]! += ds * t;
            const dPre = ds * vd[h]! * (1 - t * t);
            gk[k + h]! += dPre;
            gq[q + h]! += dPre;
          }
        }
      }
      return [
        new Tensor(gq, queryProj.shape),
        new Tensor(gk, keysProj.shape),
        new Tensor(gv, v.shape),
        gValues ? new Tensor(gValues, values.shape) : null,
      ];
    },
  );
  return { context: outs[0], weights: outs[1] };
}

export interface DotAttentionOptions extends AttentionMaskOptions {
  /** Multiplies every score (1/√d gives scaled dot-product attention); default 1 (Luong). */
  scale?: number;
}

/**
 * Fused dot-product attention: score[b, s] = scale · keys[b, s] · query[b]; weights = masked softmax
 * over s; context[b] = Σ_s weights[b, s] · values[b, s]. `query` [B, D], `keys` [B, S, D],
 * `values` [B, S, Dv] (may be the same tensor as keys). Luong's "general" score is this with query = W q.
 * With `keyRows`, keys and values have their own batch size and query row b uses key row keyRows[b].
 */
export function dotAttention(
  query: Tensor,
  keys: Tensor,
  values: Tensor,
  options: DotAttentionOptions = {},
): AttentionResult {
  if (query.ndim !== 2)
    throw new ShapeError(`dotAttention: query must have shape [B, D], got ${formatShape(query.shape)}`);
  const [B, D] = query.shape as [number, number];
  const layout = checkKeysValues('dotAttention', keys, values, B, D, options);
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale)) throw new ValueError(`dotAttention: scale must be finite, got ${scale}`);
  const { srcLen: S, rows, keep } = layout;
  const Dv = values.shape[2]!;
  const dtype = promote(query.dtype, keys.dtype, values.dtype);
  const qd = query.data;
  const kd = keys.data;
  const scores = new Float64Array(B * S);
  for (let b = 0; b < B; b++) {
    const q = b * D;
    const krow = rows[b]! * S;
    for (let s = 0; s < S; s++) {
      if (keep && !keep[krow + s]) continue;
      const k = (krow + s) * D;
      let sc = 0;
      for (let d = 0; d < D; d++) sc += qd[q + d]! * kd[k + d]!;
      scores[b * S + s] = scale * sc;
    }
  }
  const weights = allocate(dtype, B * S);
  const context = allocate(dtype, B * Dv);
  softmaxAndContext(scores, layout, values.data, Dv, weights, context);
  const outs = attachMany(
    [new Tensor(context, [B, Dv]), new Tensor(weights, [B, S])],
    'dot_attention',
    [query, keys, values],
    ([gc, ga]) => {
      const gValues = values.requiresGrad ? allocate(dtype, values.size) : null;
      const dScore = softmaxContextBackward(gc!.data, ga!.data, weights, values.data, layout, Dv, gValues);
      const gq = query.requiresGrad ? allocate(dtype, B * D) : null;
      const gk = keys.requiresGrad ? allocate(dtype, keys.size) : null;
      for (let b = 0; b < B; b++) {
        const q = b * D;
        const krow = rows[b]! * S;
        for (let s = 0; s < S; s++) {
          const ds = scale * dScore[b * S + s]!;
          if (ds === 0) continue;
          const k = (krow + s) * D;
          if (gq) for (let d = 0; d < D; d++) gq[q + d]! += ds * kd[k + d]!;
          if (gk) for (let d = 0; d < D; d++) gk[k + d]! += ds * qd[q + d]!;
        }
      }
      return [
        gq ? new Tensor(gq, query.shape) : null,
        gk ? new Tensor(gk, keys.shape) : null,
        gValues ? new Tensor(gValues, values.shape) : null,
      ];
    },
  );
  return { context: outs[0], weights: outs[1] };
}
