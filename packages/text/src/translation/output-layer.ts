import { noGrad, pinLinear, type PinnedLinear, type Storage, type Tensor } from '@recurrent/core';
import type { TranslationDecoder } from './decoder.js';

/**
 * The decoder's output layer for inference, log-softmaxed: the output matrix (untied `out.weight`, or the embedding
 * when tied) is pinned in wasm memory for the whole search (core's `pinLinear`) instead of being copied in at every
 * step — the same kernels and summation order as the module's forward, so the same numbers. Call `dispose()` when done.
 */
export class PinnedOutputLayer {
  private readonly pinned: PinnedLinear;
  private readonly vocabSize: number;

  constructor(private readonly decoder: TranslationDecoder) {
    const weight = decoder.out ? decoder.out.weight : decoder.embedding.weight;
    this.vocabSize = weight.shape[0] ?? 0;
    this.pinned = pinLinear(weight, decoder.out ? decoder.out.bias : decoder.outBias);
  }

  /** Log-probabilities [rows · V] from the decoder's output vectors [rows, outputWidth] (evaluation mode). */
  logProbs(hidden: Tensor): Storage {
    const x = noGrad(() => (this.decoder.outProj ? this.decoder.outProj.forward(hidden) : hidden));
    const R = x.shape[0] ?? 0;
    const V = this.vocabSize;
    const out = this.pinned.forward(x).data;
    for (let r = 0; r < R; r++) {
      const base = r * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (out[base + v]! > max) max = out[base + v]!;
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(out[base + v]! - max);
      const lse = max + Math.log(sum);
      for (let v = 0; v < V; v++) out[base + v] = out[base + v]! - lse;
    }
    return out;
  }

  dispose(): void {
    this.pinned.dispose();
  }
}
