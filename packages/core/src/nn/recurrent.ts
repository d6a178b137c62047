import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectShape, formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ShapeError, ValueError } from '../errors.js';
import { uniform_ } from './init.js';
import type { ParameterOptions } from './options.js';
import {
  gateCount,
  PinnedRecurrentWeights,
  runRecurrent,
  type RecurrentMode,
  type RecurrentWeights,
  type StackConfig,
  type StackHiddenGradHook,
} from '../ops/recurrent/index.js';
import type { RecurrentForwardOptions, RecurrentOutput, RecurrentState } from './recurrent-state.js';

export type { RecurrentMode } from '../ops/recurrent/index.js';

/** Returned by `RecurrentBase.pinWeights()`. */
export interface PinnedWeightsHandle {
  /** Re-copy the weights before the next inference forward (after editing them in place). */
  refresh(): void;
  /** Drop this pin; the resident copy is freed when the last pin is released. */
  release(): void;
}

/** Options shared by RNN, LSTM and GRU (PyTorch's constructor arguments, camelCased). */
export interface RecurrentLayerOptions extends ParameterOptions {
  inputSize: number;
  hiddenSize: number;
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Use b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [B, T, F] instead of [T, B, F] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, while training (default 0). */
  dropout?: number;
  /** Run a second direction from the end of each sequence and concatenate outputs (default false). */
  bidirectional?: boolean;
}

export function checkPositiveInt(what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new ValueError(`${what} must be a positive integer, got ${v}`);
}

/** Validate `lengths` against B and T; null when every sequence is full length (the fast path). */
export function checkLengths(
  name: string,
  lengths: ArrayLike<number> | undefined,
  B: number,
  T: number,
): Int32Array | null {
  if (lengths === undefined) return null;
  if (lengths.length !== B)
    throw new ValueError(`${name}: lengths has ${lengths.length} entries but the batch has ${B} sequences`);
  const out = new Int32Array(B);
  let full = true;
  for (let b = 0; b < B; b++) {
    const v = lengths[b]!;
    if (!Number.isInteger(v) || v < 1 || v > T) {
      throw new ValueError(
        `${name}: lengths[${b}] = ${v} is out of range; each length must be an integer in 1..${T} (the sequence ` +
          `length)`,
      );
    }
    out[b] = v;
    if (v !== T) full = false;
  }
  return full ? null : out;
}

/**
 * Shared base of RNN, LSTM and GRU: PyTorch parameters (`weight_ih_l{k}[_reverse]`, `weight_hh_l…`, `bias_ih_l…`,
 * `bias_hh_l…`), initialised U(−1/√H, 1/√H) in PyTorch's order, and a forward that runs the whole stack as one
 * fused autograd node.
 */
export abstract class RecurrentBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly numDirections: 1 | 2;
  protected readonly weights: RecurrentWeights = { wIH: [], wHH: [], bIH: [], bHH: [] };
  private readonly generator: Generator | undefined;

  protected constructor(
    protected readonly layerName: string,
    mode: RecurrentMode,
    options: RecurrentLayerOptions,
  ) {
    super();
    checkPositiveInt(`${layerName}: inputSize`, options.inputSize);
    checkPositiveInt(`${layerName}: hiddenSize`, options.hiddenSize);
    const numLayers = options.numLayers ?? 1;
    checkPositiveInt(`${layerName}: numLayers`, numLayers);
    const dropout = options.dropout ?? 0;
    if (!(dropout >= 0 && dropout <= 1))
      throw new ValueError(`${layerName}: dropout must be in [0, 1], got ${dropout}`);
    this.mode = mode;
    this.inputSize = options.inputSize;
    this.hiddenSize = options.hiddenSize;
    this.numLayers = numLayers;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = dropout;
    this.bidirectional = options.bidirectional ?? false;
    this.numDirections = this.bidirectional ? 2 : 1;
    this.generator = options.generator;
    const H = this.hiddenSize;
    const GH = gateCount(mode) * H;
    const bound = 1 / Math.sqrt(H);
    const dtype = options.dtype;
    const make = (name: string, shape: number[]): Tensor =>
      this.registerParameter(name, uniform_(zeros(shape, { dtype }), -bound, bound, options.generator));
    for (let l = 0; l < numLayers; l++) {
      const inSize = l === 0 ? this.inputSize : H * this.numDirections;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        this.weights.wIH.push(make(`weight_ih${sfx}`, [GH, inSize]));
        this.weights.wHH.push(make(`weight_hh${sfx}`, [GH, H]));
        this.weights.bIH.push(this.bias ? make(`bias_ih${sfx}`, [GH]) : null);
        this.weights.bHH.push(this.bias ? make(`bias_hh${sfx}`, [GH]) : null);
      }
    }
  }

  /** Stack configuration as the kernels see it. */
  get config(): StackConfig {
    return {
      mode: this.mode,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      numDirections: this.numDirections,
    };
  }

  /**
   * Run the layer over a whole (padded) batch of sequences. `x` is [B, T, inputSize] when batchFirst, else
   * [T, B, inputSize]. Returns the top layer's output and the final state of every layer and direction.
   */
  forward(x: Tensor, options: RecurrentForwardOptions = {}): RecurrentOutput {
    return this.forwardWithHook(x, options);
  }

  /** forward() that can also observe ∂L/∂h_t during backward (used by diagnostics). */
  forwardWithHook(
    x: Tensor,
    options: RecurrentForwardOptions = {},
    onHiddenGrad?: StackHiddenGradHook,
  ): RecurrentOutput {
    const name = this.layerName;
    if (x.ndim !== 3) {
      const layout = this.batchFirst ? '[B, T, inputSize]' : '[T, B, inputSize]';
      throw new ShapeError(
        `${name}: expected a 3-D input ${layout} with inputSize ${this.inputSize}, got shape ${formatShape(x.shape)}`,
      );
    }
    const T = this.batchFirst ? x.shape[1]! : x.shape[0]!;
    const B = this.batchFirst ? x.shape[0]! : x.shape[1]!;
    expectShape(`${name}: input (${this.batchFirst ? '[B, T, inputSize]' : '[T, B, inputSize]'})`, x.shape, [
      -1,
      -1,
      this.inputSize,
    ]);
    if (T === 0 || B === 0)
      throw new ShapeError(
        `${name}: input must have at least one time step and one sequence, got shape ${formatShape(x.shape)}`,
      );
    const stateShape = [this.numLayers * this.numDirections, B, this.hiddenSize];
    const state = options.state;
    let h0: Tensor | null = null;
    let c0: Tensor | null = null;
    if (state) {
      expectShape(`${name}: initial state h ([numLayers*numDirections, B, hiddenSize])`, state.h.shape, stateShape);
      h0 = state.h;
      if (this.mode === 'lstm') {
        if (!state.c) throw new ValueError(`${name}: an LSTM state needs both h and c; got h without c`);
        expectShape(`${name}: initial state c ([numLayers*numDirections, B, hiddenSize])`, state.c.shape, stateShape);
        c0 = state.c;
      } else if (state.c) {
        throw new ValueError(`${name}: has no cell state, but the given state has c`);
      }
    }
    const lengths = checkLengths(name, options.lengths, B, T);
    const p = this.training && this.numLayers > 1 ? this.dropout : 0;
    const gen = this.generator ?? defaultGenerator();
    const res = runRecurrent({
      name,
      config: this.config,
      weights: this.weights,
      x,
      T,
      B,
      batchFirst: this.batchFirst,
      h0,
      c0,
      lengths,
      dropout: p > 0 ? { p, random: () => gen.random() } : null,
      onHiddenGrad,
      resident: this.pinned?.lookup,
    });
    return { output: res.output, state: res.cN ? { h: res.hN, c: res.cN } : { h: res.hN } };
  }

  private pinned: PinnedRecurrentWeights | null = null;

  /**
   * Keeps this layer's weights resident in WebAssembly memory for fast repeated inference — generating one step at a
   * time, where copying the weights in on every call would dominate. Applies to float32 LSTMs on the wasm backend
   * (elsewhere the handle is inert). Forwards that do not record gradients use the resident copy; a forward that
   * records gradients uses the live weights and marks the copy stale, and the copy is also checked against a sample
   * of the live values on every use, so training steps in between are picked up. After editing weights in a way
   * that could leave the sampled entries unchanged, call `refresh()`. Pins nest; the copy is freed when every handle
   * is released.
   */
  pinWeights(): PinnedWeightsHandle {
    this.pinned ??= new PinnedRecurrentWeights(this.config, this.weights);
    const pin = this.pinned;
    pin.refs++;
    let released = false;
    return {
      refresh: () => {
        if (released) throw new ValueError(`${this.layerName}: refresh() on a released weight pin`);
        pin.invalidate();
      },
      release: () => {
        if (released) return;
        released = true;
        if (--pin.refs === 0) {
          pin.dispose();
          if (this.pinned === pin) this.pinned = null;
        }
      },
    };
  }

  /** A zero state for batch size B, in this layer's dtype. */
  initialState(batchSize: number): RecurrentState {
    checkPositiveInt(`${this.layerName}: batchSize`, batchSize);
    const dtype = this.weights.wIH[0]!.dtype;
    const shape = [this.numLayers * this.numDirections, batchSize, this.hiddenSize];
    return this.mode === 'lstm'
      ? { h: zeros(shape, { dtype }), c: zeros(shape, { dtype }) }
      : { h: zeros(shape, { dtype }) };
  }
}
