// float32 LSTM direction forward that stays in wasm memory for the whole sequence: the input projection is written
// straight into a resident gate buffer, W_hh is packed once, every step is one resident GEMM plus one call of the
// fused SIMD gate kernel (lstm_gates.wat). Only the output and final states are copied back to JS arrays; what
// backward needs stays resident (resident-saved.ts). Numbers equal those of lstmSequenceForward (same GEMM kernel,
// same gate arithmetic; see lstm_gates.wat). For batch-1 generation, weights can stay resident across calls
// (RecurrentBase.pinWeights → ops/recurrent/pinned-weights.ts → StackForwardArgs.resident).
import type { Storage } from '../../tensor/dtype.js';
import { activeGateKernels, type GateKernels } from '../wasm/gate-kernels.js';
import type { WasmBuffer } from '../wasm/heap.js';
import { ResidentMatrix } from '../wasm/resident-matrix.js';
import { al, region, workspace } from './wasm-workspace.js';
import { ResidentSaved } from './resident-saved.js';
import { splitLstmForward, splitsRows } from './lstm-split.js';
import type { TokenInput } from './tokens.js';
import {
  finalSlot,
  initialSlot,
  inputSlot,
  isValid,
  outputSlot,
  slotCount,
  stepTime,
  type OutputView,
  type SequenceSpec,
} from './sequence.js';

/** Weights of one LSTM direction resident in wasm memory (owned by the caller, see `residentLstmWeights`). */
export interface ResidentLstmWeights {
  readonly G: number;
  readonly H: number;
  readonly inputSize: number;
  /** W_ih [4H, in]. */
  readonly wIH: ResidentMatrix;
  /** W_hh [4H, H]: raw for single-row GEMMs, packed / interleaved layouts made on first use. */
  readonly wHH: ResidentMatrix;
  /** b_ih + b_hh rounded to float32, or null without biases. */
  readonly bias: WasmBuffer | null;
  free(): void;
}

/** One LSTM direction's float32 weights, as PyTorch stores them. */
export interface LstmDirectionWeights {
  H: number;
  inputSize: number;
  /** [4H, inputSize] */
  wIH: Float32Array;
  /** [4H, H] */
  wHH: Float32Array;
  bIH: Float32Array | null;
  bHH: Float32Array | null;
}

/** Copies one direction's float32 weights into wasm memory (W_hh's product layouts are made when a call needs them). */
export function residentLstmWeights(k: GateKernels, w: LstmDirectionWeights): ResidentLstmWeights {
  const { H, inputSize } = w;
  const G = 4 * H;
  const wIH = new ResidentMatrix(k.gemm, w.wIH, G * inputSize);
  const wHH = new ResidentMatrix(k.gemm, w.wHH, G * H);
  let bias: WasmBuffer | null = null;
  if (w.bIH || w.bHH) {
    // the same float32 sum as inputProjection's
    const b = new Float32Array(G);
    if (w.bIH) b.set(w.bIH.subarray(0, G));
    if (w.bHH) for (let j = 0; j < G; j++) b[j]! += w.bHH[j]!;
    bias = k.gemm.heap.alloc(G);
    bias.view().set(b);
  }
  let freed = false;
  return {
    G,
    H,
    inputSize,
    wIH,
    wHH,
    bias,
    free: () => {
      if (freed) return;
      freed = true;
      wIH.free();
      wHH.free();
      bias?.free();
    },
  };
}

export interface LstmWasmArgs extends SequenceSpec, OutputView {
  /** Layer input, time-major [T, B, inputSize] (not read when `tokens` is given). */
  x: Float32Array;
  /** The input as token ids into an embedding table (tokens.ts); its table is float32. */
  tokens?: TokenInput;
  weights: ResidentLstmWeights;
  /** Initial states: [B, H] at `stateOffset` in h0/c0 ([L*D, B, H] stacks), or null for zeros. */
  h0: Float32Array | null;
  c0: Float32Array | null;
  /** Final states are written to hN/cN at `stateOffset`. */
  hN: Float32Array;
  cN: Float32Array;
  stateOffset: number;
  /** Write output row (t, b) at b*T + t instead of t*B + b (a batch-first [B, T, ·] output). */
  batchFirstOut?: boolean;
}

/** The gate kernels when this forward can run in wasm (float32 operands, H even), else null. */
export function lstmWasmKernels(H: number): GateKernels | null {
  return H % 2 === 0 ? activeGateKernels() : null;
}

/**
 * One LSTM direction over the whole sequence in wasm memory (see the file comment). Writes the output view and the
 * final states; in save mode returns what backward needs, left resident in wasm memory, else null.
 */
export function lstmForwardWasm(k: GateKernels, a: LstmWasmArgs): ResidentSaved | null {
  const { T, B, H, save, weights: w, out, stride, offset } = a;
  const G = 4 * H;
  const BH = B * H;
  const TB = T * B;
  const slots = slotCount(a);
  // save mode: gates, states and tanh(c) go to their own arena (kept for backward), the rest to the workspace
  const kept = save ? new ResidentSaved(k, { TB, G, slotFloats: slots * BH, H }) : null;
  const oOut = 0;
  const oRec = oOut + al(TB * H);
  // the step table of a row-split loop (lstm-split.ts): 7 int32 per step
  const oTable = oRec + al(B * G);
  let total = oTable + al(T * 7);
  // with tokens: the projected table [V, 4H]
  const oProj = total;
  if (a.tokens) total += al(a.tokens.V * G);
  // a batch-first output is transposed in wasm memory, then copied out as one block (not T·B row copies)
  const swapOut = !!a.batchFirstOut && stride === H && offset === 0 && T > 1 && B > 1;
  const oSwap = total;
  if (swapOut) total += al(TB * H);
  const oScratch = total;
  if (!kept) total += al(TB * G) + 2 * al(slots * BH);
  const base = workspace(k, total).ptr;
  const f = base >> 2;
  // float offsets relative to the workspace (negative when the arena lies below it; all in the same memory)
  const oGates = kept ? (kept.ptr! >> 2) - f + kept.oGates : oScratch;
  const oHs = kept ? (kept.ptr! >> 2) - f + kept.oHs : oScratch + al(TB * G);
  const oCs = kept ? (kept.ptr! >> 2) - f + kept.oCs : oHs + al(slots * BH);
  const oTc = kept ? (kept.ptr! >> 2) - f + kept.oTc : 0;
  const p = (floats: number): number => base + floats * 4;
  const ex = k.exports;
  const wasm = k.gemm;

  // gates = x·W_ihᵀ + (b_ih + b_hh), for all T·B rows at once — or, from tokens, for the V table rows, then gathered
  if (a.tokens) {
    const { V, ids, table } = a.tokens;
    wasm.gemm(false, true, V, G, w.inputSize, table as Float32Array, w.wIH.raw, region(p(oProj), V * G), false);
    if (w.bias) ex.add_row_bias(p(oProj), V, G, w.bias.ptr);
    const m = wasm.heap.floats();
    for (let r = 0; r < TB; r++) {
      const src = f + oProj + ids[r]! * G;
      m.copyWithin(f + oGates + r * G, src, src + G);
    }
  } else {
    wasm.gemm(false, true, TB, G, w.inputSize, a.x, w.wIH.raw, region(p(oGates), TB * G), false);
    if (w.bias) ex.add_row_bias(p(oGates), TB, G, w.bias.ptr);
  }
  const packed = B > 1 ? w.wHH.packed(true, G, H) : null;
  // a single row (generation): the interleaved copy streams 16 rows of W_hh per pass
  const hh16 = B === 1 ? w.wHH.interleaved16(G, H) : null;

  let mem = wasm.heap.floats();
  const init = initialSlot(a) * BH;
  const so = a.stateOffset;
  if (a.h0) copy(a.h0, so, mem, f + oHs + init, BH);
  else mem.fill(0, f + oHs + init, f + oHs + init + BH);
  if (a.c0) copy(a.c0, so, mem, f + oCs + init, BH);
  else mem.fill(0, f + oCs + init, f + oCs + init + BH);
  if (a.lengths) {
    // padded steps: zero output (and tanh(c), as the TS kernel leaves it), so nothing stale from earlier calls shows
    mem.fill(0, f + oOut, f + oOut + TB * H);
    if (save) mem.fill(0, f + oTc, f + oTc + TB * H);
  }

  const rec = region(p(oRec), B * G);
  // with helper threads, each runs the whole loop for its own batch rows (no hand-off per step)
  const split = packed && !a.lengths && splitsRows(k, B, H);
  if (split) {
    splitLstmForward(k, {
      T,
      B,
      H,
      steps: (s, e, at) => {
        const t = stepTime(a, s);
        const hin = inputSlot(a, s) * BH;
        const hout = outputSlot(a, s) * BH;
        e[at] = p(oGates + t * B * G);
        e[at + 1] = p(oHs + hin);
        e[at + 2] = p(oCs + hin);
        e[at + 3] = p(oCs + hout);
        e[at + 4] = p(oHs + hout);
        e[at + 5] = save ? p(oTc + t * BH) : 0;
        e[at + 6] = p(oOut + t * BH);
      },
      tablePtr: p(oTable),
      packed,
      rec: rec.ptr,
    });
  }
  for (let s = 0; s < T && !split; s++) {
    const t = stepTime(a, s);
    const hin = inputSlot(a, s) * BH;
    const hout = outputSlot(a, s) * BH;
    if (packed) wasm.gemmPrepacked(false, B, G, H, region(p(oHs + hin), BH), packed, rec, false);
    else if (hh16) wasm.gemv16(p(oHs + hin), hh16, rec, G, H, false);
    else wasm.gemmResident(false, true, 1, G, H, p(oHs + hin), w.wHH.raw, rec, false);
    const gt = oGates + t * B * G;
    const tc = save ? p(oTc + t * BH) : 0;
    if (!a.lengths) {
      ex.lstm_forward_step(p(gt), rec.ptr, p(oCs + hin), p(oCs + hout), p(oHs + hout), tc, p(oOut + t * BH), B, H);
      continue;
    }
    mem = wasm.heap.floats();
    for (let b = 0; b < B; b++) {
      const bh = b * H;
      if (isValid(a, b, t)) {
        ex.lstm_forward_step(
          p(gt + b * G),
          rec.ptr + b * G * 4,
          p(oCs + hin + bh),
          p(oCs + hout + bh),
          p(oHs + hout + bh),
          tc && tc + bh * 4,
          p(oOut + t * BH + bh),
          1,
          H,
        );
      } else {
        mem.copyWithin(f + oHs + hout + bh, f + oHs + hin + bh, f + oHs + hin + bh + H);
        mem.copyWithin(f + oCs + hout + bh, f + oCs + hin + bh, f + oCs + hin + bh + H);
      }
    }
  }

  if (swapOut) ex.swap_leading(p(oOut), p(oSwap), T, B, H * 4);
  mem = wasm.heap.floats();
  if (swapOut) copy(mem, f + oSwap, out, 0, TB * H);
  else copyOut(mem, f + oOut, T, B, H, out, stride, offset, !!a.batchFirstOut);
  const fin = finalSlot(a) * BH;
  copy(mem, f + oHs + fin, a.hN, so, BH);
  copy(mem, f + oCs + fin, a.cN, so, BH);
  return kept;
}

/**
 * Below this many floats a plain loop beats creating a subarray view (measured: 16 floats about even, 32 the view
 * is ~2× faster, 256 ~4×).
 */
const SMALL_COPY = 24;

/** dst[d … d+n) = src[s … s+n). */
export function copy(src: Storage, s: number, dst: Storage, d: number, n: number): void {
  if (n <= SMALL_COPY) for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
  else dst.set(s === 0 && src.length === n ? src : src.subarray(s, s + n), d);
}

/** T·B rows of H floats at mem[src…] (time-major) into out[row*stride + offset …], row = t*B + b or b*T + t. */
function copyOut(
  mem: Float32Array,
  src: number,
  T: number,
  B: number,
  H: number,
  out: Storage,
  stride: number,
  offset: number,
  batchFirst: boolean,
): void {
  if (!batchFirst && stride === H && offset === 0) {
    copy(mem, src, out, 0, T * B * H);
    return;
  }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = batchFirst ? b * T + t : t * B + b;
      copy(mem, src + (t * B + b) * H, out, row * stride + offset, H);
    }
  }
}
