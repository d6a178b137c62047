import { RecurrentBase, type RecurrentLayerOptions } from './recurrent.js';
import { eye_, zeros_ } from './init.js';
import { ValueError } from '../errors.js';

export interface RNNOptions extends RecurrentLayerOptions {
  /** h' = nonlinearity(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (default 'tanh'). */
  nonlinearity?: 'tanh' | 'relu';
  /**
   * 'default': every weight and bias U(−1/√H, 1/√H) like PyTorch.
   * 'identity': the IRNN initialisation (Le, Jaitly & Hinton 2015, "A Simple Way to Initialize Recurrent Networks
   * of Rectified Linear Units"): every weight_hh is the identity and every bias is zero, weight_ih keeps the default.
   * Meant for nonlinearity 'relu', where it lets a plain RNN carry information over long spans.
   */
  recurrentInit?: 'default' | 'identity';
}

/** Elman RNN with tanh or ReLU, PyTorch's `nn.RNN` (parameters and numbers match). */
export class RNN extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(options: RNNOptions) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    }
    super('RNN', nonlinearity === 'relu' ? 'rnn_relu' : 'rnn_tanh', options);
    this.nonlinearity = nonlinearity;
    const init = options.recurrentInit ?? 'default';
    if (init === 'identity') {
      for (const w of this.weights.wHH) eye_(w);
      for (const b of [...this.weights.bIH, ...this.weights.bHH]) if (b) zeros_(b);
    } else if (init !== 'default') {
      throw new ValueError(`RNN: recurrentInit must be 'default' or 'identity', got '${String(init)}'`);
    }
  }
}
