// Batch-1 generation for an Embedding → LSTM stack → Linear model with everything resident in wasm memory: weights
// (ResidentMatrix, kernels/wasm/resident-matrix.ts), hidden and cell states, and (for small vocabularies) each token's
// layer-0 input projection, computed the first time the token is fed. One step is a handful of wasm calls with no
// tensors, no autograd and no per-step allocation. nn/lstm-session.ts (LstmSession) is the public face.
import type { GateKernels } from '../wasm/gate-kernels.js';
import type { WasmBuffer } from '../wasm/heap.js';
import { ResidentMatrix } from '../wasm/resident-matrix.js';
import { residentLstmWeights, type LstmDirectionWeights, type ResidentLstmWeights } from './lstm-wasm.js';

/** Vocabularies up to this many projected floats (vocab × 4H) cache each token's layer-0 input projection. */
const MAX_TABLE_FLOATS = 1 << 22;

/** The float32 weights of a token-level LSTM language model (validated by the caller). */
export interface LstmGeneratorWeights {
  /** [vocab, E] */
  embedding: Float32Array;
  vocabSize: number;
  /** One entry per layer (unidirectional), layer 0 reading E = layers[0].inputSize. */
  layers: LstmDirectionWeights[];
  /** [V, H] and [V] or null. */
  head: Float32Array;
  headBias: Float32Array | null;
  outputSize: number;
}

/** See the file comment. Not thread-safe across sessions sharing state: each owns its buffers. */
export class LstmWasmGenerator {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  private readonly layers: ResidentLstmWeights[];
  private readonly emb: ResidentMatrix;
  private readonly head: ResidentMatrix;
  private readonly headBias: Float32Array | null;
  private readonly buffers: WasmBuffer[] = [];
  /** [L, H] hidden and cell states, gate scratch [4H], recurrent product [4H]. */
  private readonly h: WasmBuffer;
  private readonly c: WasmBuffer;
  private readonly gates: WasmBuffer;
  private readonly rec: WasmBuffer;
  private readonly logitsBuf: WasmBuffer;
  private readonly table: WasmBuffer | null;
  private readonly filled: Uint8Array | null;
  private readonly logits: Float32Array;

  constructor(
    private readonly k: GateKernels,
    w: LstmGeneratorWeights,
  ) {
    const first = w.layers[0];
    if (!first) throw new Error('internal: an LSTM generator needs at least one layer');
    const H = first.H;
    const G = 4 * H;
    this.vocabSize = w.vocabSize;
    this.hiddenSize = H;
    this.numLayers = w.layers.length;
    this.layers = w.layers.map((l) => residentLstmWeights(k, l));
    this.emb = new ResidentMatrix(k.gemm, w.embedding, w.vocabSize * first.inputSize);
    this.head = new ResidentMatrix(k.gemm, w.head, w.outputSize * H);
    this.headBias = w.headBias ? Float32Array.from(w.headBias.subarray(0, w.outputSize)) : null;
    const scratch = (floats: number): WasmBuffer => {
      const b = k.gemm.heap.alloc(floats);
      this.buffers.push(b);
      return b;
    };
    this.h = scratch(this.numLayers * H);
    this.c = scratch(this.numLayers * H);
    this.gates = scratch(G);
    this.rec = scratch(G);
    this.logitsBuf = scratch(w.outputSize);
    const tableFloats = this.vocabSize * G;
    this.table = tableFloats <= MAX_TABLE_FLOATS ? scratch(tableFloats) : null;
    this.filled = this.table ? new Uint8Array(this.vocabSize) : null;
    this.logits = new Float32Array(w.outputSize);
    this.setState(null, null);
  }

  /** Sets h and c ([numLayers·H] each), or zeros when null. */
  setState(h: ArrayLike<number> | null, c: ArrayLike<number> | null): void {
    const n = this.numLayers * this.hiddenSize;
    const mem = this.k.gemm.heap.floats();
    if (h) mem.set(Float32Array.from(h), this.h.ptr >> 2);
    else mem.fill(0, this.h.ptr >> 2, (this.h.ptr >> 2) + n);
    if (c) mem.set(Float32Array.from(c), this.c.ptr >> 2);
    else mem.fill(0, this.c.ptr >> 2, (this.c.ptr >> 2) + n);
  }

  /** Copies of h and c ([numLayers·H] each). */
  getState(): { h: Float32Array; c: Float32Array } {
    const n = this.numLayers * this.hiddenSize;
    const mem = this.k.gemm.heap.floats();
    const h = this.h.ptr >> 2;
    const c = this.c.ptr >> 2;
    return { h: mem.slice(h, h + n), c: mem.slice(c, c + n) };
  }

  /** Feeds one (valid) token; returns the next-token logits in an array the next step overwrites. */
  step(token: number): Float32Array {
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
        gemm.gemmResident(false, true, 1, G, H, h - H * 4, w.wIH.raw, gates, false);
        if (w.bias) ex.add_row_bias(gates.ptr, 1, G, w.bias.ptr);
      }
      // the same single-row product as the module path's (lstmForwardWasm at batch 1)
      const hh16 = w.wHH.interleaved16(G, H);
      if (hh16) gemm.gemv16(h, hh16, rec, G, H, false);
      else gemm.gemmResident(false, true, 1, G, H, h, w.wHH.raw, rec, false);
      // h and c are updated in place: h was consumed by the product above, c is read before it is written
      ex.lstm_forward_step(gates.ptr, rec.ptr, c, c, h, 0, h, 1, H);
    }
    const V = this.logits.length;
    const mem = gemm.heap.floats();
    const lp = this.logitsBuf.ptr >> 2;
    if (this.headBias) mem.set(this.headBias, lp);
    const top = this.h.ptr + (this.numLayers - 1) * H * 4;
    gemm.gemmResident(false, true, 1, V, H, top, this.head.raw, this.logitsBuf, !!this.headBias);
    this.logits.set(gemm.heap.floats().subarray(lp, lp + V));
    return this.logits;
  }

  /** Layer 0's gate pre-activations x·W_ihᵀ + b for the token's embedding, from the cache when there is one. */
  private inputGates(token: number, w: ResidentLstmWeights): void {
    const { k, gates } = this;
    const G = 4 * this.hiddenSize;
    const E = w.inputSize;
    const row = this.emb.raw.ptr + token * E * 4;
    if (!this.table || !this.filled) {
      k.gemm.gemmResident(false, true, 1, G, E, row, w.wIH.raw, gates, false);
      if (w.bias) k.exports.add_row_bias(gates.ptr, 1, G, w.bias.ptr);
      return;
    }
    const at = this.table.ptr + token * G * 4;
    if (!this.filled[token]) {
      k.gemm.gemmResident(false, true, 1, G, E, row, w.wIH.raw, at, false);
      if (w.bias) k.exports.add_row_bias(at, 1, G, w.bias.ptr);
      this.filled[token] = 1;
    }
    const mem = k.gemm.heap.floats();
    mem.copyWithin(gates.ptr >> 2, at >> 2, (at >> 2) + G);
  }

  /** Frees every wasm buffer; the object must not be used afterwards. */
  free(): void {
    for (const w of this.layers) w.free();
    this.emb.free();
    this.head.free();
    for (const b of this.buffers) b.free();
  }
}
