// The forward and backward of a fused recurrent stack on raw typed arrays (run.ts wraps them in one autograd node).
// Data flow for each (layer, direction), time-major throughout:
//   forward:  gates = x·W_ihᵀ + biases (one GEMM over all T·B rows; layer 0 fed from an embedding: over the V table
//             rows, then gathered — kernels/recurrent/tokens.ts)  →  per step: h_{t-1}·W_hhᵀ (one GEMM) and a
//             fused gate loop (kernels/recurrent/lstm.ts / gru.ts / rnn.ts) that writes activations, states and the
//             output in place.
//   backward: per step: fused gate-gradient loop, then ∂L/∂h_{t-1} += dGates_t·W_hh (one GEMM); after the loop
//             dW_hh, dW_ih and ∂L/∂x with one GEMM each over all steps, bias gradients as column sums.
// Those loops are plain TypeScript over Float32Array/Float64Array (the reference and the float64 path; W_hh is kept
// resident per sequence, kernels/wasm/resident-matrix.ts). float32 LSTMs on the wasm backend take
// kernels/recurrent/lstm-wasm.ts / lstm-wasm-backward.ts instead: the same arithmetic, resident in wasm memory with
// SIMD gate kernels. See SequenceSpec in kernels/recurrent/sequence.ts for the buffer conventions every kernel keeps.
import { allocate, type DType, type Storage } from '../../tensor/dtype.js';
import { gemm } from '../../kernels/gemm.js';
import {
  accumulateProduct,
  swapLeading,
  finalSlot,
  firstInputSlot,
  initialSlot,
  slotCount,
  type SequenceSpec,
} from '../../kernels/recurrent/sequence.js';
import { lstmSequenceBackward, lstmSequenceForward } from '../../kernels/recurrent/lstm.js';
import { gruSequenceBackward, gruSequenceForward } from '../../kernels/recurrent/gru.js';
import { rnnSequenceBackward, rnnSequenceForward } from '../../kernels/recurrent/rnn.js';
import {
  lstmForwardWasm,
  lstmWasmKernels,
  residentLstmWeights,
  type ResidentLstmWeights,
} from '../../kernels/recurrent/lstm-wasm.js';
import { pinMatrix } from '../../kernels/wasm/resident-matrix.js';
import { lstmBackwardWasm } from '../../kernels/recurrent/lstm-wasm-backward.js';
import type { ResidentSaved } from '../../kernels/recurrent/resident-saved.js';
import { gatherRows, scatterAddRows, tokenWeightGradients, type TokenInput } from '../../kernels/recurrent/tokens.js';
import {
  columnSums,
  gateCount,
  inputProjection,
  type RecurrentMode,
} from '../../kernels/recurrent/input-projection.js';

export { gateCount, type RecurrentMode } from '../../kernels/recurrent/input-projection.js';

export interface StackConfig {
  mode: RecurrentMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  numDirections: 1 | 2;
}

/** Raw weights of every (layer, direction), indexed `layer * numDirections + direction` (PyTorch's order). */
export interface StackWeights {
  wIH: Storage[];
  wHH: Storage[];
  bIH: (Storage | null)[];
  bHH: (Storage | null)[];
}

export interface StackForwardArgs {
  config: StackConfig;
  weights: StackWeights;
  dtype: DType;
  T: number;
  B: number;
  /** Input, time-major [T, B, inputSize] (not read when `tokens` is given). */
  x: Storage;
  /** Layer 0's input as token ids into an embedding table (tokens.ts): projected per table row, not per token. */
  tokens?: TokenInput;
  /** Initial hidden state [L*D, B, H], or null for zeros. */
  h0: Storage | null;
  /** Initial cell state (LSTM only), or null for zeros. */
  c0: Storage | null;
  lengths: Int32Array | null;
  /** Keep what backward needs (false for inference: nothing per-step is kept). */
  save: boolean;
  /** Inter-layer dropout on the outputs of every layer but the last, or null. */
  dropout: { p: number; random: () => number } | null;
  /**
   * float32 LSTM weights already resident in wasm memory for (layer, direction) k, e.g. pinned by a generation
   * session; null/undefined entries are copied in for this call only. Must hold the same values as `weights`.
   */
  resident?: (k: number) => ResidentLstmWeights | null;
  /**
   * The caller wants the last layer's output batch-first ([B, T, D*H]) and passes ∂L/∂output to stackBackward the
   * same way; the wasm LSTM path reads and writes that layout directly, the others transpose.
   */
  outputBatchFirst?: boolean;
}

interface DirectionSaved {
  spec: SequenceSpec;
  gates: Storage;
  hs: Storage;
  cs: Storage | null;
  /** LSTM: tanh(c_t); GRU: h W_hnᵀ + b_hn; RNN: unused. */
  aux: Storage | null;
  /** float32 LSTM on wasm: the same buffers resident in wasm memory (the fields above copy them out on first use). */
  resident?: ResidentSaved;
}

function residentDirection(spec: SequenceSpec, r: ResidentSaved): DirectionSaved {
  return {
    spec,
    resident: r,
    get gates() {
      return r.arrays().gates;
    },
    get hs() {
      return r.arrays().hs;
    },
    get cs() {
      return r.arrays().cs;
    },
    get aux() {
      return r.arrays().tanhC;
    },
  };
}

/** Everything the forward kept for backward. */
export interface StackSaved {
  /** Input of each layer (time-major), after dropout for layers > 0. */
  layerInputs: Storage[];
  /** Dropout masks applied to layer l's output (already scaled by 1/(1-p)), for l < L-1. */
  masks: (Storage | null)[];
  directions: DirectionSaved[];
}

/**
 * Tells the resident saved buffers of a forward whether their autograd graph can still run backward, so wasm memory
 * of graphs that are gone is reclaimed without copying it out first.
 */
export function bindSavedLifetime(saved: StackSaved, alive: () => boolean): void {
  for (const d of saved.directions) if (d.resident) d.resident.alive = alive;
}

export interface StackForwardResult {
  /** Last layer's output, time-major [T, B, D*H]; zero at padded steps. */
  output: Storage;
  hN: Storage;
  cN: Storage | null;
  saved: StackSaved | null;
}

const f32 = (s: Storage): Float32Array => s as Float32Array;
const f32orNull = (s: Storage | null): Float32Array | null => s as Float32Array | null;

/** Run a whole multi-layer (bi)directional stack forward on raw storage. */
export function stackForward(a: StackForwardArgs): StackForwardResult {
  const { config, weights, dtype, T, B } = a;
  const { mode, hiddenSize: H, numLayers: L, numDirections: D } = config;
  const G = gateCount(mode);
  const BH = B * H;
  const hN = allocate(dtype, L * D * BH);
  const cN = mode === 'lstm' ? allocate(dtype, L * D * BH) : null;
  const saved: StackSaved | null = a.save ? { layerInputs: [], masks: [], directions: [] } : null;
  let input = a.x;
  let inSize = config.inputSize;
  let output: Storage = input;
  let wroteBatchFirst = false;
  for (let l = 0; l < L; l++) {
    output = allocate(dtype, T * B * D * H);
    const batchFirstOut = !!a.outputBatchFirst && l === L - 1;
    saved?.layerInputs.push(input);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const spec: SequenceSpec = { T, B, H, reverse: d === 1, lengths: a.lengths, save: a.save };
      const gk = mode === 'lstm' && dtype === 'float32' ? lstmWasmKernels(H) : null;
      if (gk) {
        const pinned = a.resident?.(k) ?? null;
        const rw =
          pinned ??
          residentLstmWeights(gk, {
            H,
            inputSize: inSize,
            wIH: f32(weights.wIH[k]!),
            wHH: f32(weights.wHH[k]!),
            bIH: f32orNull(weights.bIH[k]!),
            bHH: f32orNull(weights.bHH[k]!),
          });
        const r = lstmForwardWasm(gk, {
          ...spec,
          out: output,
          stride: D * H,
          offset: d * H,
          x: f32(input),
          tokens: l === 0 ? a.tokens : undefined,
          weights: rw,
          h0: a.h0 && f32(a.h0),
          c0: a.c0 && f32(a.c0),
          hN: f32(hN),
          cN: f32(cN!),
          stateOffset: k * BH,
          batchFirstOut,
        });
        wroteBatchFirst = batchFirstOut;
        if (!pinned) rw.free();
        if (saved && r) saved.directions.push(residentDirection(spec, r));
        continue;
      }
      const gates = allocate(dtype, T * B * G * H);
      const tokens = l === 0 ? a.tokens : undefined;
      const w = { wIH: weights.wIH[k]!, bIH: weights.bIH[k]!, bHH: weights.bHH[k]! };
      if (tokens) {
        const table = allocate(dtype, tokens.V * G * H);
        inputProjection({ mode, rows: tokens.V, inSize, H, x: tokens.table, ...w, out: table });
        gatherRows(table, tokens.ids, G * H, gates);
      } else inputProjection({ mode, rows: T * B, inSize, H, x: input, ...w, out: gates });
      const slots = slotCount(spec);
      const hs = allocate(dtype, slots * BH);
      const init = initialSlot(spec) * BH;
      if (a.h0) hs.set(a.h0.subarray(k * BH, (k + 1) * BH), init);
      const view = { out: output, stride: D * H, offset: d * H };
      let cs: Storage | null = null;
      let aux: Storage | null = null;
      if (mode === 'lstm') {
        cs = allocate(dtype, slots * BH);
        if (a.c0) cs.set(a.c0.subarray(k * BH, (k + 1) * BH), init);
        aux = a.save ? allocate(dtype, T * BH) : null;
        const scratch = allocate(dtype, B * G * H);
        const hh = pinMatrix(weights.wHH[k]!);
        try {
          lstmSequenceForward({ ...spec, ...view, gates, wHH: weights.wHH[k]!, hh, hs, cs, tanhC: aux, scratch });
        } finally {
          hh.free();
        }
      } else if (mode === 'gru') {
        aux = allocate(dtype, (a.save ? T : 1) * BH);
        const bHH = weights.bHH[k];
        const bHN = bHH ? bHH.subarray(2 * H, 3 * H) : null;
        const scratch = allocate(dtype, B * G * H);
        const hh = pinMatrix(weights.wHH[k]!);
        try {
          gruSequenceForward({ ...spec, ...view, gates, wHH: weights.wHH[k]!, hh, bHN, hs, hn: aux, scratch });
        } finally {
          hh.free();
        }
      } else {
        const scratch = allocate(dtype, BH);
        const hh = pinMatrix(weights.wHH[k]!);
        try {
          rnnSequenceForward({
            ...spec,
            ...view,
            nonlinearity: mode === 'rnn_relu' ? 'relu' : 'tanh',
            pre: gates,
            wHH: weights.wHH[k]!,
            hh,
            hs,
            scratch,
          });
        } finally {
          hh.free();
        }
      }
      const fin = finalSlot(spec) * BH;
      hN.set(hs.subarray(fin, fin + BH), k * BH);
      if (cN && cs) cN.set(cs.subarray(fin, fin + BH), k * BH);
      saved?.directions.push({ spec, gates, hs, cs, aux });
    }
    input = output;
    inSize = D * H;
    if (l < L - 1 && a.dropout && a.dropout.p > 0) {
      const { p, random } = a.dropout;
      const scale = p >= 1 ? 0 : 1 / (1 - p);
      const mask = allocate(dtype, output.length);
      const dropped = allocate(dtype, output.length);
      for (let i = 0; i < mask.length; i++) {
        mask[i] = random() < p ? 0 : scale;
        dropped[i] = output[i]! * mask[i]!;
      }
      saved?.masks.push(mask);
      input = dropped;
    } else if (l < L - 1) {
      saved?.masks.push(null);
    }
  }
  if (a.outputBatchFirst && !wroteBatchFirst) output = swapLeading(output, T, B, D * H);
  return { output, hN, cN, saved };
}

export interface StackGradients {
  /** ∂L/∂x, time-major [T, B, inputSize] — with `tokens`, ∂L/∂table [V, inputSize]; null when not requested. */
  dx: Storage | null;
  dh0: Storage;
  dc0: Storage | null;
  dWIH: Storage[];
  dWHH: Storage[];
  dBIH: Storage[];
  dBHH: Storage[];
}

export interface StackBackwardOptions {
  /** Compute ∂L/∂x (default true); skipping it saves one GEMM over the whole sequence. */
  inputGrad?: boolean;
  onHiddenGrad?: StackHiddenGradHook;
}

/** Receives ∂L/∂h_t of (layer, direction) at time t during the backward pass ([B, H], read it before returning). */
export type StackHiddenGradHook = (layer: number, direction: number, t: number, dh: Storage) => void;

/**
 * Backward through the whole stack. `dOutput` is ∂L/∂output (time-major [T, B, D*H]), `dhN`/`dcN`
 * ∂L/∂h_n, ∂L/∂c_n ([L*D, B, H]). Returns gradients for the input, the initial states and every weight.
 */
export function stackBackward(
  a: StackForwardArgs,
  saved: StackSaved,
  dOutput: Storage,
  dhN: Storage,
  dcN: Storage | null,
  options: StackBackwardOptions = {},
): StackGradients {
  const { onHiddenGrad } = options;
  const inputGrad = options.inputGrad ?? true;
  const { config, weights, dtype, T, B } = a;
  const { mode, hiddenSize: H, numLayers: L, numDirections: D } = config;
  const G = gateCount(mode);
  const GH = G * H;
  const BH = B * H;
  const TB = T * B;
  // ∂L/∂h, ∂L/∂c (carried through time) and ∂L/∂input (summed over gates, directions and layers) accumulate in
  // float64 even for float32 models: those sums cancel heavily and float32 buffers cost about one significant digit
  // against PyTorch. Gate gradients stay in the model dtype so the big dW GEMMs can take the float32 (wasm) path.
  const work: DType = 'float64';
  const dh0 = allocate(work, L * D * BH);
  const dc0 = mode === 'lstm' ? allocate(work, L * D * BH) : null;
  const dWIH: Storage[] = [];
  const dWHH: Storage[] = [];
  const dBIH: Storage[] = [];
  const dBHH: Storage[] = [];
  let dOut = dOutput;
  // dOut is batch-first (see outputBatchFirst) until a path that needs it time-major transposes it
  let dOutBatchFirst = !!a.outputBatchFirst;
  let dInput: Storage = dOutput;
  for (let l = L - 1; l >= 0; l--) {
    const inSize = l === 0 ? config.inputSize : D * H;
    const input = saved.layerInputs[l]!;
    const wantInput = l > 0 || inputGrad;
    const tokens = l === 0 ? a.tokens : undefined;
    // ∂L/∂(layer input), or with tokens ∂L/∂table
    dInput = allocate(work, wantInput ? (tokens ? tokens.V : TB) * inSize : 0);
    const inputScratch = allocate(dtype, wantInput && !tokens ? TB * inSize : 0);
    const scratch = allocate(dtype, BH);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const dir = saved.directions[k]!;
      const spec = dir.spec;
      const dh = dh0.subarray(k * BH, (k + 1) * BH);
      dh.set(dhN.subarray(k * BH, (k + 1) * BH));
      const gk =
        mode === 'lstm' && dtype === 'float32' && !onHiddenGrad && dOut instanceof Float32Array
          ? lstmWasmKernels(H)
          : null;
      if (!gk && dOutBatchFirst) {
        dOut = swapLeading(dOut, B, T, D * H);
        dOutBatchFirst = false;
      }
      const view = { out: dOut, stride: D * H, offset: d * H };
      if (gk) {
        const dc = dc0!.subarray(k * BH, (k + 1) * BH);
        if (dcN) dc.set(dcN.subarray(k * BH, (k + 1) * BH));
        const g = lstmBackwardWasm(gk, {
          ...spec,
          saved: dir.resident ?? { gates: f32(dir.gates), tanhC: f32(dir.aux!), cs: f32(dir.cs!), hs: f32(dir.hs) },
          dOut: dOut as Float32Array,
          stride: D * H,
          offset: d * H,
          dOutBatchFirst,
          dh: dh as Float64Array,
          dc: dc as Float64Array,
          x: f32(input),
          tokens,
          inputSize: inSize,
          wIH: f32(weights.wIH[k]!),
          wHH: f32(weights.wHH[k]!),
          dInput: wantInput ? (dInput as Float64Array) : null,
        });
        dWHH[k] = g.dWHH;
        dWIH[k] = g.dWIH;
        dBIH[k] = g.dBias;
        dBHH[k] = g.dBias.slice();
        continue;
      }
      const dGates = allocate(dtype, TB * GH);
      let dGatesH = dGates;
      const hook = onHiddenGrad ? (t: number, g: Storage) => onHiddenGrad(l, d, t, g) : undefined;
      const wHH = weights.wHH[k]!;
      const hh = pinMatrix(wHH);
      try {
        if (mode === 'lstm') {
          const dc = dc0!.subarray(k * BH, (k + 1) * BH);
          if (dcN) dc.set(dcN.subarray(k * BH, (k + 1) * BH));
          lstmSequenceBackward({
            ...spec,
            ...view,
            gates: dir.gates,
            wHH,
            hh,
            cs: dir.cs!,
            tanhC: dir.aux!,
            dh,
            dc,
            dGates,
            scratch,
            onHiddenGrad: hook,
          });
        } else if (mode === 'gru') {
          dGatesH = allocate(dtype, TB * GH);
          gruSequenceBackward({
            ...spec,
            ...view,
            gates: dir.gates,
            wHH,
            hh,
            hs: dir.hs,
            hn: dir.aux!,
            dh,
            dGates,
            dGatesH,
            scratch,
            onHiddenGrad: hook,
          });
        } else {
          rnnSequenceBackward({
            ...spec,
            ...view,
            nonlinearity: mode === 'rnn_relu' ? 'relu' : 'tanh',
            wHH,
            hh,
            hs: dir.hs,
            dh,
            dGates,
            scratch,
            onHiddenGrad: hook,
          });
        }
      } finally {
        hh.free();
      }
      // Weight gradients over all steps at once: dW_hh = Σ_t dGatesH_tᵀ h_in(t), dW_ih = dGatesᵀ x.
      const first = firstInputSlot(spec) * BH;
      const dW = allocate(dtype, GH * H);
      gemm(true, false, GH, H, TB, dGatesH, dir.hs.subarray(first, first + TB * H), dW, false);
      dWHH[k] = dW;
      if (tokens) {
        const dP = allocate(dtype, tokens.V * GH);
        scatterAddRows(dGates, tokens.ids, GH, dP);
        dWIH[k] = tokenWeightGradients(dP, tokens, GH, inSize, weights.wIH[k]!, wantInput ? dInput : null);
      } else {
        const dWi = allocate(dtype, GH * inSize);
        gemm(true, false, GH, inSize, TB, dGates, input, dWi, false);
        dWIH[k] = dWi;
        if (wantInput) accumulateProduct(TB, inSize, GH, dGates, weights.wIH[k]!, dInput, inputScratch);
      }
      const dbi = allocate(work, GH);
      columnSums(dGates, TB, GH, dbi);
      dBIH[k] = dbi;
      if (dGatesH === dGates) dBHH[k] = dbi.slice();
      else {
        const dbh = allocate(work, GH);
        columnSums(dGatesH, TB, GH, dbh);
        dBHH[k] = dbh;
      }
    }
    if (l > 0) {
      const mask = saved.masks[l - 1];
      if (mask) for (let i = 0; i < dInput.length; i++) dInput[i]! *= mask[i]!;
      dOut = dInput;
      dOutBatchFirst = false;
    }
  }
  const cast = (s: Storage): Storage => (s instanceof Float64Array && dtype !== 'float64' ? Float32Array.from(s) : s);
  return {
    dx: inputGrad ? cast(dInput) : null,
    dh0: cast(dh0),
    dc0: dc0 ? cast(dc0) : null,
    dWIH: dWIH.map(cast),
    dWHH: dWHH.map(cast),
    dBIH: dBIH.map(cast),
    dBHH: dBHH.map(cast),
  };
}
