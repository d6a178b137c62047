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
 * computed as C·Wᵀ (C has Σ(m_n + 1) rows: row (n, k) marks the first k on-units of row n), then each unit gathers
 * its own (the k-th) logit row — O((N + notes)·D·H) time and O((N + notes)·(D + H)) memory, instead of O(N·D²·H)
 * or D sequential steps.
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
  // Row n has m_n + 1 prefix rows (0, 1, …, m_n of its on-units), starting at rowStart[n].
  const rowStart = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let i = 0; i < D; i++) if (visible[n * D + i]) m++;
    rowStart[n + 1] = rowStart[n]! + m + 1;
  }
  const rows = rowStart[N]!;
  const dtype: DType = weightIn.dtype;
  const prefix = zeros([rows, D], { dtype });
  const prefixData = prefix.data;
  const pick = new Int32Array(N * D);
  const frameOfRow = new Int32Array(rows);
  for (let n = 0; n < N; n++) {
    const first = rowStart[n]!;
    const last = rowStart[n + 1]!;
    frameOfRow.fill(n, first, last);
    let before = 0;
    for (let i = 0; i < D; i++) {
      pick[n * D + i] = (first + before) * D + i;
      if (visible[n * D + i]) {
        before++;
        for (let r = first + before; r < last; r++) prefixData[r * D + i] = 1;
      }
    }
  }
  // Each prefix row gets its frame's hidden bias by a gather and a same-shape add (about twice as fast as a
  // broadcast add, forward and backward).
  const activations = add(matmul(prefix, transpose(weightIn, 0, 1)), indexSelect(hiddenBias, 0, frameOfRow));
  const hidden = sigmoid(activations); // [rows, H]
  const all = matmul(hidden, transpose(weightOut, 0, 1)); // [rows, D]: every unit's logit under every prefix
  return add(reshape(indexSelect(reshape(all, [rows * D]), 0, pick), [N, D]), visibleBias);
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
