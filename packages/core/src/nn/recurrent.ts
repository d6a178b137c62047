import { Module } from './module.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate, promote, type DType, type Storage } from '../tensor/dtype.js';
import { expectShape, formatShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { attachMany } from '../autograd/node.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ShapeError, ValueError } from '../errors.js';
import { uniform_ } from './init.js';
import type { ParameterOptions } from './options.js';
import { swapLeading } from '../kernels/recurrent/sequence.js';
import {
  bindSavedLifetime,
  gateCount,
  stackBackward,
  stackForward,
  type RecurrentMode,
  type StackConfig,
  type StackForwardArgs,
  type StackHiddenGradHook,
} from '../kernels/recurrent/stack.js';
import type { RecurrentForwardOptions, RecurrentOutput, RecurrentState } from './recurrent-state.js';
import { lstmWasmKernels, residentLstmWeights, type ResidentLstmWeights } from '../kernels/recurrent/lstm-wasm.js';
import { PinnedRecurrentWeights } from './pinned-weights.js';
import { embeddingSourceOf, type EmbeddingSource } from '../ops/embedding.js';
import { foldsTokens, timeMajorIds, type TokenInput } from '../kernels/recurrent/tokens.js';

export type { RecurrentMode } from '../kernels/recurrent/stack.js';

/** Weights of a stack as tensors, indexed `layer * numDirections + direction`. */
export interface RecurrentWeights {
  wIH: Tensor[];
  wHH: Tensor[];
  bIH: (Tensor | null)[];
  bHH: (Tensor | null)[];
}

/** Everything `runRecurrent` needs; inputs must already be validated. */
export interface RecurrentRunArgs {
  name: string;
  config: StackConfig;
  weights: RecurrentWeights;
  /** [T, B, in] time-major or [B, T, in] when batchFirst; cells pass [B, in] with T = 1. */
  x: Tensor;
  T: number;
  B: number;
  batchFirst: boolean;
  h0: Tensor | null;
  c0: Tensor | null;
  lengths: Int32Array | null;
  dropout: { p: number; random: () => number } | null;
  /** Shape of the output tensor and of h_n / c_n (defaults: PyTorch's layer shapes). Cells pass [B, H]. */
  outputShape?: number[];
  stateShape?: number[];
  /** Diagnostics: observe ∂L/∂h_t during backward. */
  onHiddenGrad?: StackHiddenGradHook;
  /**
   * Weights pinned in wasm memory (see `RecurrentBase.pinWeights`): asked for (layer, direction) k on every forward,
   * with `recording` true when this forward records gradients (then it must return null: training uses the live
   * weights).
   */
  resident?: (k: number, recording: boolean) => ResidentLstmWeights | null;
}

export interface RecurrentRunResult {
  output: Tensor;
  hN: Tensor;
  cN: Tensor | null;
}

function inDType(t: Tensor, dtype: DType): Storage {
  if (t.dtype === dtype) return t.data;
  const out = allocate(dtype, t.size);
  out.set(t.data);
  return out;
}

/**
 * When `x` is the output of an embedding lookup over a vocabulary small against the number of tokens, the lookup:
 * layer 0 then projects the table instead of every token (kernels/recurrent/tokens.ts) and its input gradient goes
 * straight to the table.
 */
function tokenInputOf(r: RecurrentRunArgs, dtype: DType): { tokens: TokenInput; source: EmbeddingSource } | null {
  // a lookup whose own gradient was asked for (retainGrad) must go through the graph
  if (r.x.dtype !== dtype || r.x.gradFn?.retained) return null;
  const source = embeddingSourceOf(r.x, (s) => s.weight.dtype === dtype && foldsTokens(s.weight.shape[0]!, r.T * r.B));
  if (!source) return null;
  const ids = r.batchFirst ? timeMajorIds(source.ids, r.B, r.T) : source.ids;
  // the table as it is now, so editing it before backward cannot change the gradients of this forward
  return { tokens: { ids, table: source.weight.data.slice(), V: source.weight.shape[0]! }, source };
}

/**
 * Run a recurrent stack as ONE autograd node: forward through the fused kernels, hand-written backward
 * through time. Saves per-step buffers only when a gradient will be needed.
 */
export function runRecurrent(r: RecurrentRunArgs): RecurrentRunResult {
  const { config, weights, T, B } = r;
  const { hiddenSize: H, numLayers: L, numDirections: D } = config;
  const params: Tensor[] = [];
  for (let k = 0; k < L * D; k++) {
    params.push(weights.wIH[k]!, weights.wHH[k]!);
    if (weights.bIH[k]) params.push(weights.bIH[k]!);
    if (weights.bHH[k]) params.push(weights.bHH[k]!);
  }
  const states = [...(r.h0 ? [r.h0] : []), ...(r.c0 ? [r.c0] : [])];
  const dtype = promote(...[r.x, ...states, ...params].map((t) => t.dtype));
  const folded = tokenInputOf(r, dtype);
  // with tokens, the node's first input is the embedding table itself (the lookup's output is not needed)
  const first = folded ? folded.source.weight : r.x;
  const inputs = [first, ...states, ...params];
  const save = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const raw = (t: Tensor | null): Storage | null => (t ? inDType(t, dtype) : null);
  const args: StackForwardArgs = {
    config,
    weights: {
      wIH: weights.wIH.map((t) => raw(t)!),
      wHH: weights.wHH.map((t) => raw(t)!),
      bIH: weights.bIH.map(raw),
      bHH: weights.bHH.map(raw),
    },
    dtype,
    T,
    B,
    x: folded ? allocate(dtype, 0) : r.batchFirst ? swapLeading(inDType(r.x, dtype), B, T, config.inputSize) : inDType(r.x, dtype),
    tokens: folded?.tokens,
    h0: raw(r.h0),
    c0: raw(r.c0),
    lengths: r.lengths,
    save,
    dropout: r.dropout,
    outputBatchFirst: r.batchFirst,
    resident: r.resident && ((k: number) => r.resident!(k, save)),
  };
  const res = stackForward(args);
  const DH = D * H;
  const outData = res.output; // batch-first already when r.batchFirst (outputBatchFirst)
  const outputShape = r.outputShape ?? (r.batchFirst ? [B, T, DH] : [T, B, DH]);
  const stateShape = r.stateShape ?? [L * D, B, H];
  const output = new Tensor(outData, outputShape);
  const hN = new Tensor(res.hN, stateShape);
  const cN = res.cN ? new Tensor(res.cN, stateShape) : null;
  if (!save || !res.saved) return { output, hN, cN };
  const saved = res.saved;
  const outs = cN ? [output, hN, cN] : [output, hN];
  attachMany(outs, r.name, inputs, (g) => {
    const dOut = inDType(g[0]!, dtype); // batch-first when r.batchFirst, as stackBackward expects
    const grads = stackBackward(args, saved, dOut, inDType(g[1]!, dtype), cN ? inDType(g[2]!, dtype) : null, {
      inputGrad: first.requiresGrad,
      onHiddenGrad: r.onHiddenGrad,
    });
    let firstGrad: Tensor | null = null;
    if (grads.dx && folded) {
      const pad = folded.source.paddingIdx;
      if (pad !== null) grads.dx.fill(0, pad * config.inputSize, (pad + 1) * config.inputSize);
      firstGrad = new Tensor(grads.dx, first.shape);
    } else if (grads.dx) {
      firstGrad = new Tensor(r.batchFirst ? swapLeading(grads.dx, T, B, config.inputSize) : grads.dx, r.x.shape);
    }
    const result: (Tensor | null)[] = [firstGrad];
    if (r.h0) result.push(new Tensor(grads.dh0, r.h0.shape));
    if (r.c0) result.push(new Tensor(grads.dc0!, r.c0.shape));
    for (let k = 0; k < L * D; k++) {
      result.push(new Tensor(grads.dWIH[k]!, weights.wIH[k]!.shape), new Tensor(grads.dWHH[k]!, weights.wHH[k]!.shape));
      if (weights.bIH[k]) result.push(new Tensor(grads.dBIH[k]!, weights.bIH[k]!.shape));
      if (weights.bHH[k]) result.push(new Tensor(grads.dBHH[k]!, weights.bHH[k]!.shape));
    }
    return result;
  });
  const node = output.gradFn;
  if (node) {
    // resident saved buffers are reclaimed without a copy once the engine has freed this node (backward ran
    // without retainGraph) or the graph was dropped
    const ref = new WeakRef(node);
    bindSavedLifetime(saved, () => {
      const n = ref.deref();
      return n !== undefined && n.backwardFn !== null;
    });
  }
  return { output, hN, cN };
}

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
export function checkLengths(name: string, lengths: ArrayLike<number> | undefined, B: number, T: number): Int32Array | null {
  if (lengths === undefined) return null;
  if (lengths.length !== B) throw new ValueError(`${name}: lengths has ${lengths.length} entries but the batch has ${B} sequences`);
  const out = new Int32Array(B);
  let full = true;
  for (let b = 0; b < B; b++) {
    const v = lengths[b]!;
    if (!Number.isInteger(v) || v < 1 || v > T) {
      throw new ValueError(`${name}: lengths[${b}] = ${v} is out of range; each length must be an integer in 1..${T} (the sequence length)`);
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
    if (!(dropout >= 0 && dropout <= 1)) throw new ValueError(`${layerName}: dropout must be in [0, 1], got ${dropout}`);
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
    return { mode: this.mode, inputSize: this.inputSize, hiddenSize: this.hiddenSize, numLayers: this.numLayers, numDirections: this.numDirections };
  }

  /**
   * Run the layer over a whole (padded) batch of sequences. `x` is [B, T, inputSize] when batchFirst, else
   * [T, B, inputSize]. Returns the top layer's output and the final state of every layer and direction.
   */
  forward(x: Tensor, options: RecurrentForwardOptions = {}): RecurrentOutput {
    return this.forwardWithHook(x, options);
  }

  /** forward() that can also observe ∂L/∂h_t during backward (used by diagnostics). */
  forwardWithHook(x: Tensor, options: RecurrentForwardOptions = {}, onHiddenGrad?: StackHiddenGradHook): RecurrentOutput {
    const name = this.layerName;
    if (x.ndim !== 3) {
      const layout = this.batchFirst ? '[B, T, inputSize]' : '[T, B, inputSize]';
      throw new ShapeError(`${name}: expected a 3-D input ${layout} with inputSize ${this.inputSize}, got shape ${formatShape(x.shape)}`);
    }
    const T = this.batchFirst ? x.shape[1]! : x.shape[0]!;
    const B = this.batchFirst ? x.shape[0]! : x.shape[1]!;
    expectShape(`${name}: input (${this.batchFirst ? '[B, T, inputSize]' : '[T, B, inputSize]'})`, x.shape, [-1, -1, this.inputSize]);
    if (T === 0 || B === 0) throw new ShapeError(`${name}: input must have at least one time step and one sequence, got shape ${formatShape(x.shape)}`);
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
    const params = this.weights;
    this.pinned ??= new PinnedRecurrentWeights(() => this.makeResident(), [...params.wIH, ...params.wHH, ...params.bIH, ...params.bHH]);
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

  /** Resident copies of every (layer, direction), or null when this layer cannot run on them. */
  private makeResident(): ResidentLstmWeights[] | null {
    const w = this.weights;
    if (this.mode !== 'lstm' || w.wIH[0]!.dtype !== 'float32') return null;
    const gk = lstmWasmKernels(this.hiddenSize);
    if (!gk) return null;
    const f32 = (t: Tensor | null): Float32Array | null => (t ? (t.data as Float32Array) : null);
    return w.wIH.map((_, k) =>
      residentLstmWeights(gk, this.hiddenSize, w.wIH[k]!.shape[1]!, f32(w.wIH[k]!)!, f32(w.wHH[k]!)!, f32(w.bIH[k]!), f32(w.bHH[k]!)),
    );
  }

  /** A zero state for batch size B, in this layer's dtype. */
  initialState(batchSize: number): RecurrentState {
    checkPositiveInt(`${this.layerName}: batchSize`, batchSize);
    const dtype = this.weights.wIH[0]!.dtype;
    const shape = [this.numLayers * this.numDirections, batchSize, this.hiddenSize];
    return this.mode === 'lstm' ? { h: zeros(shape, { dtype }), c: zeros(shape, { dtype }) } : { h: zeros(shape, { dtype }) };
  }
}
