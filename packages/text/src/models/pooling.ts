import {
  cat,
  Linear,
  maskedFill,
  Module,
  softmax,
  sum,
  Tensor,
  type Generator,
  type RecurrentState,
} from '@recurrent/core';
import type { Pooling } from './config.js';

/** [B, T, 1] mask tensor, 1 at padded positions (t ≥ lengths[b]). */
export function paddingMask(lengths: ArrayLike<number>, seqLen: number): Tensor {
  const B = lengths.length;
  const m = new Float32Array(B * seqLen);
  for (let b = 0; b < B; b++) m.fill(1, b * seqLen + lengths[b]!, (b + 1) * seqLen);
  return new Tensor(m, [B, seqLen, 1]);
}

/** Final hidden state of the top layer, both directions concatenated: [B, D·H]. */
export function finalState(state: RecurrentState, numLayers: number, numDirections: number): Tensor {
  const [, B, H] = state.h.shape as [number, number, number];
  const top = state.h.narrow(0, (numLayers - 1) * numDirections, numDirections); // [D, B, H]
  return numDirections === 1 ? top.reshape([B, H]) : top.permute([1, 0, 2]).reshape([B, numDirections * H]);
}

/**
 * Self-attentive pooling: weights = softmax over valid steps of v·tanh(W o_t + b); returns Σ_t weight_t o_t.
 * Parameters `proj.weight`, `proj.bias` [A, F] and `score.weight` [1, A].
 */
export class AttentionPooling extends Module {
  readonly proj: Linear;
  readonly score: Linear;

  constructor(features: number, attentionSize: number, generator?: Generator) {
    super();
    this.proj = this.registerModule(
      'proj',
      new Linear({ inFeatures: features, outFeatures: attentionSize, generator }),
    );
    this.score = this.registerModule(
      'score',
      new Linear({ inFeatures: attentionSize, outFeatures: 1, bias: false, generator }),
    );
  }

  /** output [B, T, F], mask [B, T, 1] (1 = padding) → {pooled [B, F], weights [B, T, 1]}. */
  forward(output: Tensor, mask: Tensor): { pooled: Tensor; weights: Tensor } {
    const scores = maskedFill(this.score.forward(this.proj.forward(output).tanh()), mask, -Infinity);
    const weights = softmax(scores, 1);
    return { pooled: sum(output.mul(weights), 1), weights };
  }
}

/** Width of the pooled vector for per-step outputs of width F. */
export function pooledSize(pooling: Pooling, features: number): number {
  return pooling === 'maxmean' ? 2 * features : features;
}

/**
 * Pool per-step outputs [B, T, F] (padded steps exactly zero, as the recurrent layers return them) over the valid
 * steps of each sequence.
 */
export function pool(
  pooling: Pooling,
  output: Tensor,
  lengths: ArrayLike<number>,
  state: RecurrentState,
  layers: { numLayers: number; numDirections: number; attention: AttentionPooling | null },
): Tensor {
  const T = output.shape[1]!;
  if (pooling === 'final') return finalState(state, layers.numLayers, layers.numDirections);
  const mask = paddingMask(lengths, T);
  const maxPool = (): Tensor => maskedFill(output, mask, -Infinity).max(1);
  const meanPool = (): Tensor => {
    const B = lengths.length;
    const inv = new Float32Array(B);
    for (let b = 0; b < B; b++) inv[b] = 1 / lengths[b]!;
    // Padded steps are zero, so the plain sum over T is the sum over valid steps.
    return sum(output, 1).mul(new Tensor(inv, [B, 1]));
  };
  switch (pooling) {
    case 'max':
      return maxPool();
    case 'mean':
      return meanPool();
    case 'maxmean':
      return cat([maxPool(), meanPool()], 1);
    case 'attention':
      return layers.attention!.forward(output, mask).pooled;
  }
}
