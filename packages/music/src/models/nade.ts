import {
  add,
  indexSelect,
  init,
  matmul,
  Module,
  reshape,
  ShapeError,
  sigmoid,
  transpose,
  zeros,
  type DType,
  type Generator,
  type Tensor,
} from '@recurrent/core';

/**
 * The logits of a NADE (Larochelle & Murray 2011) over D binary units, teacher-forced on `visible`, for N
 * independent rows each with its own biases (RNN-NADE conditions them on the past):
 *
 *   h_i = σ(b_h + W[:, <i] · v_<i),   logit_i = b_v,i + V[i] · h_i,   p(v_i = 1 | v_<i) = σ(logit_i).
 *
 * `weightIn` W is [H, D], `weightOut` V is [D, H], `visibleBias` [N, D], `hiddenBias` [N, H], `visible` N × D
 * zeros and ones (row-major). Exact, built from differentiable ops only: h_i depends on v_<i only through how
 * many of the row's on-units come before i, so a row with m units on has m + 1 distinct hidden vectors. They are
 * computed as C·Wᵀ (C [N·(K+1), D]: row (n, k) marks the first k on-units of row n, K the most in any row),
 * then each unit gathers its own (the k-th) logit row — O(N·(K+1)·D·H) instead of O(N·D²·H) or D sequential
 * steps.
 */
export function nadeLogits(
  visibleBias: Tensor,
  hiddenBias: Tensor,
  weightIn: Tensor,
  weightOut: Tensor,
  visible: ArrayLike<number>,
): Tensor {
  const [H, D] = weightIn.shape as [number, number];
  const N = visibleBias.shape[0] ?? 0;
  const expect = (t: Tensor, shape: number[], what: string): void => {
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(`nadeLogits: ${what} must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
  };
  expect(weightIn, [H, D], 'weightIn');
  expect(weightOut, [D, H], 'weightOut');
  expect(visibleBias, [N, D], 'visibleBias');
  expect(hiddenBias, [N, H], 'hiddenBias');
  if (visible.length !== N * D)
    throw new ShapeError(`nadeLogits: visible must hold N × D = ${N * D} values, got ${visible.length}`);
  let K = 0;
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let i = 0; i < D; i++) if (visible[n * D + i]) m++;
    K = Math.max(K, m);
  }
  const R = K + 1;
  const dtype: DType = weightIn.dtype;
  const prefix = zeros([N * R, D], { dtype });
  const pick = new Int32Array(N * D);
  for (let n = 0; n < N; n++) {
    let before = 0;
    for (let i = 0; i < D; i++) {
      pick[n * D + i] = (n * R + before) * D + i;
      if (visible[n * D + i]) {
        before++;
        for (let k = before; k < R; k++) prefix.data[(n * R + k) * D + i] = 1;
      }
    }
  }
  // Each row's hidden bias repeated R times (a gather, then a same-shape add: about twice as fast as a broadcast add
  // of [N, 1, H] onto [N, R, H], forward and backward).
  const frameOfRow = Int32Array.from({ length: N * R }, (_, r) => Math.floor(r / R));
  const activations = add(matmul(prefix, transpose(weightIn, 0, 1)), indexSelect(hiddenBias, 0, frameOfRow));
  const hidden = sigmoid(activations); // [N·R, H]
  const all = matmul(hidden, transpose(weightOut, 0, 1)); // [N·R, D]: every unit's logit under every prefix
  return add(reshape(indexSelect(reshape(all, [N * R * D]), 0, pick), [N, D]), visibleBias);
}

export interface NadeOptions {
  units: number;
  hiddenSize: number;
  dtype?: DType;
  generator?: Generator;
}

/** The NADE weights: `weight_in` W [H, D] and `weight_out` V [D, H], initialised U(±1/√fan-in) like a Linear. */
export class NadeWeights extends Module {
  readonly weightIn: Tensor;
  readonly weightOut: Tensor;

  constructor(options: NadeOptions) {
    super();
    const { units, hiddenSize, dtype, generator } = options;
    const a = 1 / Math.sqrt(units);
    const b = 1 / Math.sqrt(hiddenSize);
    this.weightIn = this.registerParameter(
      'weight_in',
      init.uniform_(zeros([hiddenSize, units], { dtype }), -a, a, generator),
    );
    this.weightOut = this.registerParameter(
      'weight_out',
      init.uniform_(zeros([units, hiddenSize], { dtype }), -b, b, generator),
    );
  }
}
