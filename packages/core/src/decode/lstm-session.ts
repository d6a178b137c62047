// Batch-1 generation for Embedding → LSTM stack → Linear models with everything resident in wasm memory: weights,
// hidden and cell states, and (for small vocabularies) each token's input projection, computed the first time the
// token is fed. One step is a handful of wasm calls with no tensors, no autograd and no per-step allocation.
import { ValueError } from '../errors.js';
import { activeGateKernels, type GateKernels } from '../kernels/wasm/gate-kernels.js';
import type { WasmBuffer } from '../kernels/wasm/heap.js';
import { residentLstmWeights, type ResidentLstmWeights } from '../kernels/recurrent/lstm-wasm.js';
import type { Embedding } from '../nn/embedding.js';
import type { Linear } from '../nn/linear.js';
import type { LSTM } from '../nn/lstm.js';
import type { RecurrentState } from '../nn/recurrent-state.js';
import { Tensor } from '../tensor/tensor.js';

/** The three parts of a token-level LSTM language model (eval-mode dropout between them is the identity). */
export interface LstmLanguageModelParts {
  embedding: Embedding;
  lstm: LSTM;
  head: Linear;
}

/** Vocabularies up to this many projected floats (vocab × 4H) cache each token's layer-0 input projection. */
const MAX_TABLE_FLOATS = 1 << 22;

/** Why `parts` cannot run as an LstmSession, or null when they can. */
export function lstmSessionUnsupported(parts: LstmLanguageModelParts): string | null {
  const { embedding, lstm, head } = parts;
  if (lstm.bidirectional) return 'the LSTM is bidirectional (generation runs one direction)';
  if (lstm.hiddenSize % 2 !== 0) return `the LSTM's hiddenSize ${lstm.hiddenSize} is odd (the SIMD gate kernel takes pairs)`;
  const tensors = [embedding.weight, head.weight, ...Object.values(lstm.stateDict())];
  if (tensors.some((t) => t.dtype !== 'float32')) return 'the weights are not all float32';
  if (embedding.weight.shape[1] !== lstm.inputSize) return `the embedding width ${embedding.weight.shape[1]} is not the LSTM's inputSize ${lstm.inputSize}`;
  if (head.weight.shape[1] !== lstm.hiddenSize) return `the head's in_features ${head.weight.shape[1]} is not the LSTM's hiddenSize ${lstm.hiddenSize}`;
  if (!activeGateKernels()) return 'the WebAssembly SIMD kernels are not active (await initWasm() first, or useBackend("wasm"))';
  return null;
}

/**
 * Step-by-step inference of an Embedding → LSTM → Linear model at batch 1, for sampling loops: `step(token)` feeds one
 * token and returns the next-token logits. The arithmetic is the model's own forward pass operation for operation
 * (the same wasm products and gate kernel, the head's bias added the same way), so logits equal those of
 * `head.forward(lstm.forward(embedding.forward(...)))` with pinned weights bit for bit whenever each product has at
 * least 4,096 multiply-adds (below that the module path uses the TypeScript GEMM: equal within float32 rounding).
 * The weights are copied in when the session is created: make a new session after changing them. `dispose()` frees
 * the wasm memory.
 */
export class LstmSession {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  private readonly k: GateKernels;
  private readonly layers: ResidentLstmWeights[];
  private readonly buffers: WasmBuffer[] = [];
  private readonly emb: WasmBuffer;
  private readonly headW: WasmBuffer;
  private readonly headBias: Float32Array | null;
  /** [L, H] hidden and cell states, gate scratch [4H], recurrent product [4H]. */
  private readonly h: WasmBuffer;
  private readonly c: WasmBuffer;
  private readonly gates: WasmBuffer;
  private readonly rec: WasmBuffer;
  private readonly logitsBuf: WasmBuffer;
  private readonly table: WasmBuffer | null;
  private readonly filled: Uint8Array | null;
  private readonly logits: Float32Array;
  private disposed = false;

  constructor(parts: LstmLanguageModelParts) {
    const why = lstmSessionUnsupported(parts);
    if (why) throw new ValueError(`LstmSession: ${why}`);
    const k = activeGateKernels()!;
    this.k = k;
    const { embedding, lstm, head } = parts;
    const H = lstm.hiddenSize;
    const G = 4 * H;
    const V = head.weight.shape[0]!;
    this.vocabSize = embedding.weight.shape[0]!;
    this.hiddenSize = H;
    this.numLayers = lstm.numLayers;
    const sd = lstm.stateDict();
    const f32 = (t: Tensor | undefined): Float32Array | null => (t ? (t.data as Float32Array) : null);
    this.layers = Array.from({ length: lstm.numLayers }, (_, l) =>
      residentLstmWeights(k, H, l === 0 ? lstm.inputSize : H, f32(sd[`weight_ih_l${l}`])!, f32(sd[`weight_hh_l${l}`])!, f32(sd[`bias_ih_l${l}`]), f32(sd[`bias_hh_l${l}`])),
    );
    const resident = (data: Float32Array | null, floats: number): WasmBuffer => {
      const b = k.gemm.heap.alloc(floats);
      this.buffers.push(b);
      if (data) b.view().set(data.subarray(0, floats));
      return b;
    };
    this.emb = resident(embedding.weight.data as Float32Array, embedding.weight.size);
    this.headW = resident(head.weight.data as Float32Array, head.weight.size);
    this.headBias = head.bias ? Float32Array.from(head.bias.data) : null;
    this.h = resident(null, lstm.numLayers * H);
    this.c = resident(null, lstm.numLayers * H);
    this.gates = resident(null, G);
    this.rec = resident(null, G);
    this.logitsBuf = resident(null, V);
    const tableFloats = this.vocabSize * G;
    this.table = tableFloats <= MAX_TABLE_FLOATS ? resident(null, tableFloats) : null;
    this.filled = this.table ? new Uint8Array(this.vocabSize) : null;
    this.logits = new Float32Array(V);
    this.reset();
  }

  /** Zero state, or the given one (h and c shaped [numLayers, 1, H], as the LSTM returns them). */
  reset(state?: RecurrentState): void {
    this.check();
    const n = this.numLayers * this.hiddenSize;
    const mem = this.k.gemm.heap.floats();
    if (!state) {
      mem.fill(0, this.h.ptr >> 2, (this.h.ptr >> 2) + n);
      mem.fill(0, this.c.ptr >> 2, (this.c.ptr >> 2) + n);
      return;
    }
    if (state.h.size !== n || !state.c || state.c.size !== n) {
      throw new ValueError(`LstmSession.reset: state h and c must each hold numLayers × 1 × hiddenSize = ${n} values, got h ${state.h.size} and c ${state.c?.size ?? 'missing'}`);
    }
    mem.set(Float32Array.from(state.h.data), this.h.ptr >> 2);
    mem.set(Float32Array.from(state.c.data), this.c.ptr >> 2);
  }

  /** The current state as tensors [numLayers, 1, H] (copies). */
  state(): RecurrentState {
    this.check();
    const n = this.numLayers * this.hiddenSize;
    const mem = this.k.gemm.heap.floats();
    const shape = [this.numLayers, 1, this.hiddenSize];
    return { h: new Tensor(mem.slice(this.h.ptr >> 2, (this.h.ptr >> 2) + n), shape), c: new Tensor(mem.slice(this.c.ptr >> 2, (this.c.ptr >> 2) + n), shape) };
  }

  /**
   * Feed one token; returns the logits for the next one. The array is the session's own and is overwritten by the
   * next step (copy it to keep it).
   */
  step(token: number): Float32Array {
    this.check();
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize) throw new ValueError(`LstmSession.step: token must be an integer in [0, ${this.vocabSize}), got ${token}`);
    const { k, gates, rec } = this;
    const gemm = k.gemm;
    const ex = k.exports;
    const H = this.hiddenSize;
    const G = 4 * H;
    for (let l = 0; l < this.numLayers; l++) {
      const w = this.layers[l]!;
      const h = this.h.ptr + l * H * 4;
      const c = this.c.ptr + l * H * 4;
      if (l === 0) this.inputGates(token, w);
      else {
        gemm.gemmResident(false, true, 1, G, H, h - H * 4, w.wIH, gates, false);
        if (w.bias) ex.add_row_bias(gates.ptr, 1, G, w.bias.ptr);
      }
      // the same single-row product as the module path's (lstmForwardWasm at batch 1)
      const hh16 = w.gemvHH();
      if (hh16) gemm.gemv16(h, hh16, rec, G, H, false);
      else gemm.gemmResident(false, true, 1, G, H, h, w.wHH, rec, false);
      // h and c are updated in place: h was consumed by the product above, c is read before it is written
      ex.lstm_forward_step(gates.ptr, rec.ptr, c, c, h, 0, h, 1, H);
    }
    const V = this.logits.length;
    const mem = gemm.heap.floats();
    const lp = this.logitsBuf.ptr >> 2;
    if (this.headBias) mem.set(this.headBias, lp);
    gemm.gemmResident(false, true, 1, V, H, this.h.ptr + (this.numLayers - 1) * H * 4, this.headW, this.logitsBuf, !!this.headBias);
    this.logits.set(gemm.heap.floats().subarray(lp, lp + V));
    return this.logits;
  }

  /** Layer 0's gate pre-activations x·W_ihᵀ + b for the token's embedding, from the cache when there is one. */
  private inputGates(token: number, w: ResidentLstmWeights): void {
    const { k, gates } = this;
    const G = 4 * this.hiddenSize;
    const E = w.inputSize;
    const row = this.emb.ptr + token * E * 4;
    if (!this.table) {
      k.gemm.gemmResident(false, true, 1, G, E, row, w.wIH, gates, false);
      if (w.bias) k.exports.add_row_bias(gates.ptr, 1, G, w.bias.ptr);
      return;
    }
    const at = this.table.ptr + token * G * 4;
    if (!this.filled![token]) {
      k.gemm.gemmResident(false, true, 1, G, E, row, w.wIH, at, false);
      if (w.bias) k.exports.add_row_bias(at, 1, G, w.bias.ptr);
      this.filled![token] = 1;
    }
    const mem = k.gemm.heap.floats();
    mem.copyWithin(gates.ptr >> 2, at >> 2, (at >> 2) + G);
  }

  /** Frees the session's wasm memory; further calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.layers) w.free();
    for (const b of this.buffers) b.free();
  }

  private check(): void {
    if (this.disposed) throw new ValueError('LstmSession: used after dispose()');
  }
}
