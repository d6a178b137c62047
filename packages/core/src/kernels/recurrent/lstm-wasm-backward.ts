// float32 LSTM direction backward in wasm memory: the saved activations are copied in once, every step is one call
// of the fused gate-gradient kernel (lstm_gates.wat) plus one resident GEMM against W_hh packed once, and the weight
// and input gradients are taken from the resident gate gradients. The arithmetic (float64 carries, float32 gate
// gradients, summation orders) is that of lstmSequenceBackward + stackBackward, so the results are the same.
import type { GateKernels } from '../wasm/gate-kernels.js';
import { ResidentMatrix } from '../wasm/resident-matrix.js';
import { al, region, workspace } from './wasm-workspace.js';
import { ResidentSaved, type LstmSavedArrays } from './resident-saved.js';
import { copy } from './lstm-wasm.js';
import { splitLstmBackward, splitsRows } from './lstm-split.js';
import { firstInputSlot, inputSlot, isValid, stepTime, type SequenceSpec } from './sequence.js';
import type { TokenInput } from './tokens.js';

export interface LstmWasmBackwardArgs extends SequenceSpec {
  /**
   * Saved by the forward: activations [T, B, 4H], tanh(c) [T, B, H], state slots [T+1, B, H] — resident in wasm
   * memory (read in place) or as JS arrays (copied in).
   */
  saved: ResidentSaved | LstmSavedArrays;
  /** ∂L/∂output, read at `dOut[(t*B + b) * stride + offset + j]`. */
  dOut: Float32Array;
  stride: number;
  offset: number;
  /** dOut rows are batch-first: row (t, b) is at b*T + t instead of t*B + b. */
  dOutBatchFirst?: boolean;
  /** [B, H] float64: on entry ∂L/∂h_n, ∂L/∂c_n; on exit ∂L/∂h_0, ∂L/∂c_0. */
  dh: Float64Array;
  dc: Float64Array;
  /** The layer input [T, B, inputSize] (not read with `tokens`) and the weights. */
  x: Float32Array;
  /** The input as token ids into a float32 embedding table (tokens.ts). */
  tokens?: TokenInput;
  inputSize: number;
  wIH: Float32Array;
  wHH: Float32Array;
  /**
   * ∂L/∂x accumulator [T, B, inputSize] — with `tokens`, ∂L/∂table [V, inputSize] — (float64), or null when not needed.
   */
  dInput: Float64Array | null;
}

export interface LstmWasmGradients {
  dWIH: Float32Array;
  dWHH: Float32Array;
  /** Σ over steps of the gate gradients (float64): the gradient of both b_ih and b_hh. */
  dBias: Float64Array;
}

/** Backward through time for one float32 LSTM direction (see the file comment). */
export function lstmBackwardWasm(k: GateKernels, a: LstmWasmBackwardArgs): LstmWasmGradients {
  const { T, B, H, inputSize: I } = a;
  const G = 4 * H;
  const BH = B * H;
  const TB = T * B;
  const slots = T + 1;
  const resident = a.saved instanceof ResidentSaved && a.saved.ptr !== null ? a.saved : null;
  const oDOut = 0;
  const oDG = oDOut + al(TB * H);
  const oDh = oDG + al(TB * G);
  const oDc = oDh + 2 * al(BH);
  const oRec = oDc + 2 * al(BH);
  const oBias = oRec + al(BH);
  const oDx = oBias + 2 * al(G);
  const tokens = a.tokens;
  const dxRows = tokens ? tokens.V : TB;
  // the step table of a row-split loop (lstm-split.ts): 5 int32 per step
  const oTable = oDx + (a.dInput ? al(dxRows * I) : 0);
  // with tokens: the ids (int32) and the per-id sums of the gate gradients dP [V, 4H]
  const oIds = oTable + al(T * 5);
  const oDP = oIds + (tokens ? al(TB) : 0);
  const oCopy = oDP + (tokens ? al(tokens.V * G) : 0);
  // a batch-first ∂L/∂output is copied in as one block and transposed in wasm memory
  const whole = a.stride === H && a.offset === 0;
  const timeMajor = !a.dOutBatchFirst || T === 1 || B === 1;
  const swapIn = whole && !timeMajor;
  const oSwap = oCopy + (resident ? 0 : al(TB * G) + al(TB * H) + 2 * al(slots * BH));
  const total = oSwap + (swapIn ? al(TB * H) : 0);
  const base = workspace(k, total).ptr;
  const f = base >> 2;
  // the saved arrays: in their arena, or copied into the workspace (float offsets relative to it)
  const arena = resident ? (resident.ptr! >> 2) - f : 0;
  const oGates = resident ? arena + resident.oGates : oCopy;
  const oTc = resident ? arena + resident.oTc : oCopy + al(TB * G);
  const oCs = resident ? arena + resident.oCs : oTc + al(TB * H);
  const oHs = resident ? arena + resident.oHs : oCs + al(slots * BH);
  const p = (floats: number): number => base + floats * 4;
  const ex = k.exports;
  const wasm = k.gemm;
  // W_hh as the right operand of dGates_t · W_hh (stored [4H, H] = K×N): packed once, or raw for the B = 1 GEMV
  const hh = new ResidentMatrix(wasm, a.wHH, G * H);
  const packed = B > 1 ? hh.packed(false, H, G) : null;
  const raw = hh.raw;
  try {
    let mem = wasm.heap.floats();
    if (!resident) {
      const js = a.saved instanceof ResidentSaved ? a.saved.arrays() : a.saved;
      mem.set(js.gates.subarray(0, TB * G), f + oGates);
      mem.set(js.tanhC.subarray(0, TB * H), f + oTc);
      mem.set(js.cs.subarray(0, slots * BH), f + oCs);
      mem.set(js.hs.subarray(0, slots * BH), f + oHs);
    }
    if (whole && timeMajor) mem.set(a.dOut.subarray(0, TB * H), f + oDOut);
    else if (swapIn) {
      mem.set(a.dOut.subarray(0, TB * H), f + oSwap);
      ex.swap_leading(p(oSwap), p(oDOut), B, T, H * 4);
    } else {
      const d = a.dOut;
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          const src = (a.dOutBatchFirst ? b * T + t : t * B + b) * a.stride + a.offset;
          copy(d, src, mem, f + oDOut + (t * B + b) * H, H);
        }
      }
    }
    if (a.lengths) mem.fill(0, f + oDG, f + oDG + TB * G);
    const f64 = new Float64Array(mem.buffer);
    f64.set(a.dh.subarray(0, BH), p(oDh) >> 3);
    f64.set(a.dc.subarray(0, BH), p(oDc) >> 3);
    f64.fill(0, p(oBias) >> 3, (p(oBias) >> 3) + G);

    // with helper threads, each runs the whole loop for its own batch rows (no hand-off per step)
    const split = packed && !a.lengths && splitsRows(k, B, H);
    if (split) {
      splitLstmBackward(k, {
        T,
        B,
        H,
        steps: (q, e, at) => {
          const s = T - 1 - q;
          const t = stepTime(a, s);
          e[at] = p(oGates + t * B * G);
          e[at + 1] = p(oTc + t * BH);
          e[at + 2] = p(oCs + inputSlot(a, s) * BH);
          e[at + 3] = p(oDOut + t * BH);
          e[at + 4] = p(oDG + t * B * G);
        },
        tablePtr: p(oTable),
        packed,
        rec: p(oRec),
        dh: p(oDh),
        dc: p(oDc),
      });
    }
    for (let s = T - 1; s >= 0 && !split; s--) {
      const t = stepTime(a, s);
      const cin = inputSlot(a, s) * BH;
      const gt = t * B * G;
      if (!a.lengths) {
        ex.lstm_backward_step(
          p(oGates + gt),
          p(oTc + t * BH),
          p(oCs + cin),
          p(oDOut + t * BH),
          p(oDh),
          p(oDc),
          p(oDG + gt),
          B,
          H,
        );
      } else {
        for (let b = 0; b < B; b++) {
          if (!isValid(a, b, t)) continue;
          const bh = b * H;
          ex.lstm_backward_step(
            p(oGates + gt + b * G),
            p(oTc + t * BH + bh),
            p(oCs + cin + bh),
            p(oDOut + t * BH + bh),
            p(oDh + 2 * bh),
            p(oDc + 2 * bh),
            p(oDG + gt + b * G),
            1,
            H,
          );
        }
      }
      // dh_{prev} += dGates_t · W_hh (padded rows of dGates are zero, so their dh passes through unchanged)
      if (packed) wasm.gemmPrepacked(false, B, H, G, region(p(oDG + gt), B * G), packed, region(p(oRec), BH), false);
      else wasm.gemmResident(false, false, 1, H, G, p(oDG + gt), raw, p(oRec), false);
      ex.add_f32_to_f64(p(oDh), p(oRec), BH);
    }

    // weight gradients over all steps: dW_hh = Σ_t dGates_tᵀ h_in(t), dW_ih = dGatesᵀ x, ∂L/∂x += dGates W_ih
    const dG = region(p(oDG), TB * G);
    const first = firstInputSlot(a) * BH;
    const dWHH = new Float32Array(G * H);
    wasm.gemm(true, false, G, H, TB, dG, region(p(oHs + first), TB * H), dWHH, false);
    const dWIH = new Float32Array(G * I);
    if (tokens) {
      // dP[id] = Σ of the gate gradient rows of that id; dW_ih = dPᵀ·table, ∂L/∂table = dP·W_ih (tokens.ts)
      const V = tokens.V;
      new Int32Array(wasm.heap.memory.buffer, p(oIds), TB).set(tokens.ids);
      wasm.heap.floats().fill(0, f + oDP, f + oDP + V * G);
      ex.scatter_add_rows(p(oDG), p(oIds), TB, G, p(oDP));
      const dP = region(p(oDP), V * G);
      wasm.gemm(true, false, G, I, V, dP, (tokens.table as Float32Array).subarray(0, V * I), dWIH, false);
      if (a.dInput) wasm.gemm(false, false, V, I, G, dP, a.wIH.subarray(0, G * I), region(p(oDx), V * I), false);
    } else {
      wasm.gemm(true, false, G, I, TB, dG, a.x.subarray(0, TB * I), dWIH, false);
      if (a.dInput) wasm.gemm(false, false, TB, I, G, dG, a.wIH.subarray(0, G * I), region(p(oDx), TB * I), false);
    }
    ex.column_sums(p(oDG), TB, G, p(oBias));

    mem = wasm.heap.floats();
    const f64now = new Float64Array(mem.buffer);
    a.dh.set(f64now.subarray(p(oDh) >> 3, (p(oDh) >> 3) + BH));
    a.dc.set(f64now.subarray(p(oDc) >> 3, (p(oDc) >> 3) + BH));
    const dBias = f64now.slice(p(oBias) >> 3, (p(oBias) >> 3) + G);
    if (a.dInput) {
      const dx = mem.subarray(f + oDx, f + oDx + dxRows * I);
      const acc = a.dInput;
      for (let i = 0; i < dxRows * I; i++) acc[i]! += dx[i]!;
    }
    return { dWIH, dWHH, dBias };
  } finally {
    hh.free();
  }
}
