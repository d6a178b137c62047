import { RecurrentBase, type RecurrentLayerOptions } from './recurrent.js';

export type GRUOptions = RecurrentLayerOptions;

/**
 * Gated recurrent unit, PyTorch's `nn.GRU`: gates r, z, n with n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
 * h' = (1 − z)⊙n + z⊙h.
 */
export class GRU extends RecurrentBase {
  constructor(options: GRUOptions) {
    super('GRU', 'gru', options);
  }
}
