import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectShape, formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { ShapeError, ValueError } from '../errors.js';
import { uniform_ } from './init.js';
import type { ParameterOptions } from './options.js';
import { checkPositiveInt } from './recurrent.js';
import { gateCount, runRecurrent, type RecurrentMode, type RecurrentWeights } from '../ops/recurrent/index.js';

export interface RecurrentCellOptions extends ParameterOptions {
  inputSize: number;
  hiddenSize: number;
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
}

export interface RNNCellOptions extends RecurrentCellOptions {
  nonlinearity?: 'tanh' | 'relu';
}

/** One step of a recurrent layer; parameters `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` like PyTorch. */
abstract class RecurrentCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  readonly weightIH: Tensor;
  readonly weightHH: Tensor;
  readonly biasIH: Tensor | null;
  readonly biasHH: Tensor | null;
  protected readonly mode: RecurrentMode;
  protected readonly cellName: string;

  protected constructor(cellName: string, mode: RecurrentMode, options: RecurrentCellOptions) {
    super();
    checkPositiveInt(`${cellName}: inputSize`, options.inputSize);
    checkPositiveInt(`${cellName}: hiddenSize`, options.hiddenSize);
    this.cellName = cellName;
    this.mode = mode;
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize;
    this.bias = options.bias ?? true;
    const H = options.hiddenSize;
    const GH = gateCount(mode) * H;
    const bound = 1 / Math.sqrt(H);
    const make = (name: string, shape: number[]): Tensor =>
      this.registerParameter(name, uniform_(zeros(shape, { dtype: options.dtype }), -bound, bound, options.generator));
    this.weightIH = make('weight_ih', [GH, options.inputSize]);
    this.weightHH = make('weight_hh', [GH, H]);
    this.biasIH = this.bias ? make('bias_ih', [GH]) : null;
    this.biasHH = this.bias ? make('bias_hh', [GH]) : null;
  }

  protected step(x: Tensor, h: Tensor | undefined, c: Tensor | undefined): { h: Tensor; c: Tensor | null } {
    const name = this.cellName;
    if (x.ndim !== 2)
      throw new ShapeError(
        `${name}: expected a 2-D input [B, inputSize] with inputSize ${this.inputSize}, got shape ` +
          `${formatShape(x.shape)}`,
      );
    expectShape(`${name}: input ([B, inputSize])`, x.shape, [-1, this.inputSize]);
    const B = x.shape[0]!;
    if (B === 0) throw new ShapeError(`${name}: input must have at least one row, got shape ${formatShape(x.shape)}`);
    const shape = [B, this.hiddenSize];
    if (h) expectShape(`${name}: hidden state h ([B, hiddenSize])`, h.shape, shape);
    if (c) expectShape(`${name}: cell state c ([B, hiddenSize])`, c.shape, shape);
    const weights: RecurrentWeights = {
      wIH: [this.weightIH],
      wHH: [this.weightHH],
      bIH: [this.biasIH],
      bHH: [this.biasHH],
    };
    const res = runRecurrent({
      name,
      config: {
        mode: this.mode,
        inputSize: this.inputSize,
        hiddenSize: this.hiddenSize,
        numLayers: 1,
        numDirections: 1,
      },
      weights,
      x,
      T: 1,
      B,
      batchFirst: false,
      h0: h ?? null,
      c0: c ?? null,
      lengths: null,
      dropout: null,
      outputShape: shape,
      stateShape: shape,
    });
    return { h: res.output, c: res.cN };
  }
}

/** PyTorch's `nn.RNNCell`: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh). */
export class RNNCell extends RecurrentCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(options: RNNCellOptions) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new ValueError(`RNNCell: nonlinearity must be 'tanh' or 'relu', got '${String(nl)}'`);
    super('RNNCell', nl === 'relu' ? 'rnn_relu' : 'rnn_tanh', options);
    this.nonlinearity = nl;
  }

  /** One step: x [B, inputSize], h [B, hiddenSize] (zeros when omitted) → h' [B, hiddenSize]. */
  forward(x: Tensor, h?: Tensor): Tensor {
    return this.step(x, h, undefined).h;
  }
}

/** PyTorch's `nn.LSTMCell` (gate order i, f, g, o). */
export class LSTMCell extends RecurrentCellBase {
  constructor(options: RecurrentCellOptions) {
    super('LSTMCell', 'lstm', options);
  }

  /** One step: x [B, inputSize], state {h, c} ([B, hiddenSize] each, zeros when omitted) → {h', c'}. */
  forward(x: Tensor, state?: { h: Tensor; c: Tensor }): { h: Tensor; c: Tensor } {
    if (state && !state.c) throw new ValueError('LSTMCell: the state needs both h and c; got h without c');
    const r = this.step(x, state?.h, state?.c);
    return { h: r.h, c: r.c! };
  }
}

/** PyTorch's `nn.GRUCell` (gate order r, z, n; n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))). */
export class GRUCell extends RecurrentCellBase {
  constructor(options: RecurrentCellOptions) {
    super('GRUCell', 'gru', options);
  }

  /** One step: x [B, inputSize], h [B, hiddenSize] (zeros when omitted) → h' [B, hiddenSize]. */
  forward(x: Tensor, h?: Tensor): Tensor {
    return this.step(x, h, undefined).h;
  }
}
