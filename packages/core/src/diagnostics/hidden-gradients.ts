import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { enableGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import type { RecurrentBase } from '../nn/recurrent.js';
import type { RecurrentForwardOptions, RecurrentOutput } from '../nn/recurrent-state.js';

export interface HiddenGradientOptions extends RecurrentForwardOptions {
  /** Layer whose hidden states are observed (default: the top one). */
  layer?: number;
  /** Direction observed: 0 forward (default), 1 reverse. */
  direction?: 0 | 1;
  /**
   * The scalar L to differentiate. Default: the sum of the observed layer/direction's final hidden state h_n
   * (for the top layer's forward direction on full-length sequences, the sum of the last step's output).
   */
  loss?: (result: RecurrentOutput) => Tensor;
}

/**
 * ‖∂L/∂h_t‖ (Frobenius norm over the batch and hidden units) for t = 0..T-1, where h_t is the hidden state the
 * observed layer produces at time t. Computed by the layer's own fused backward through time, which reports
 * ∂L/∂h_t at every step; a fast decay from the last step to the first is the vanishing-gradient signature.
 * The layer's parameter gradients are left as they were.
 */
export function hiddenGradientNorms(layer: RecurrentBase, x: Tensor, options: HiddenGradientOptions = {}): number[] {
  const which = options.layer ?? layer.numLayers - 1;
  const direction = options.direction ?? 0;
  if (!Number.isInteger(which) || which < 0 || which >= layer.numLayers) {
    throw new ValueError(`hiddenGradientNorms: layer must be in 0..${layer.numLayers - 1}, got ${which}`);
  }
  if (direction !== 0 && !(direction === 1 && layer.bidirectional)) {
    throw new ValueError(
      `hiddenGradientNorms: direction ${direction} does not exist in this ` +
        `${layer.bidirectional ? 'bidirectional' : 'unidirectional'} layer`,
    );
  }
  const T = layer.batchFirst ? x.shape[1] : x.shape[0];
  const norms: number[] = new Array<number>(T ?? 0).fill(Number.NaN);
  const params = layer.parameters();
  const savedGrads = params.map((p) => p.grad);
  const input = x.detach();
  try {
    enableGrad(() => {
      const result = layer.forwardWithHook(input, options, (l, d, t, dh) => {
        if (l !== which || d !== direction) return;
        let s = 0;
        for (let i = 0; i < dh.length; i++) s += dh[i]! * dh[i]!;
        norms[t] = Math.sqrt(s);
      });
      if (options.loss) {
        const L = options.loss(result);
        if (L.size !== 1) throw new ValueError(`hiddenGradientNorms: loss must be a scalar, got ${L.size} elements`);
        L.backward();
      } else {
        const h = result.state.h;
        const seed = allocate(h.dtype, h.size);
        const rows = h.size / h.shape[0]!;
        seed.fill(
          1,
          (which * layer.numDirections + direction) * rows,
          (which * layer.numDirections + direction + 1) * rows,
        );
        h.backward(new Tensor(seed, h.shape));
      }
    });
  } finally {
    params.forEach((p, i) => {
      p.grad = savedGrads[i]!;
    });
  }
  return norms;
}
