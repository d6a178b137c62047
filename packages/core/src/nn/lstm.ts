import { RecurrentBase, type RecurrentLayerOptions } from './recurrent.js';

export type LSTMOptions = RecurrentLayerOptions;

/**
 * Long short-term memory, PyTorch's `nn.LSTM`: gates i, f, g, o (rows of weight_ih/weight_hh in that order),
 * c' = f⊙c + i⊙g, h' = o⊙tanh(c'). The state is {h, c}.
 */
export class LSTM extends RecurrentBase {
  constructor(options: LSTMOptions) {
    super('LSTM', 'lstm', options);
  }
}
