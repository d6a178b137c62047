import type { Storage } from '../../tensor/dtype.js';
import type { PinnedGemm } from '../wasm/pinned-gemm.js';
import {
  accumulateProduct,
  weightGemm,
  inputSlot,
  isValid,
  outputSlot,
  sigmoid,
  stepTime,
  type HiddenGradHook,
  type OutputView,
  type SequenceSpec,
} from './sequence.js';

// LSTM, PyTorch gate order i, f, g, o (G = 4H):
//   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of  x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
//   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')

export interface LstmForwardArgs extends SequenceSpec, OutputView {
  /** [T, B, 4H]: on entry x·W_ihᵀ + b_ih + b_hh; on exit the activated gates i, f, g, o (kept for backward). */
  gates: Storage;
  /** [4H, H] recurrent weight. */
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinGemmB`); optional, same numbers. */
  hh?: PinnedGemm;
  /** [slots, B, H] hidden states; the initial state must be in `initialSlot`. */
  hs: Storage;
  /** [slots, B, H] cell states, same layout. */
  cs: Storage;
  /** [T, B, H] tanh(c_t) kept for backward, or null when not saving. */
  tanhC: Storage | null;
  /** [B, 4H] work space. */
  scratch: Storage;
}

/** Run an LSTM direction over the whole sequence (see SequenceSpec for slot and layout conventions). */
export function lstmSequenceForward(a: LstmForwardArgs): void {
  const { T, B, H, gates, wHH, hs, cs, tanhC, scratch, out, stride, offset } = a;
  const G = 4 * H;
  const BH = B * H;
  for (let s = 0; s < T; s++) {
    const t = stepTime(a, s);
    const hin = inputSlot(a, s) * BH;
    const hout = outputSlot(a, s) * BH;
    weightGemm(a.hh, false, true, B, G, H, hs.subarray(hin, hin + BH), wHH, scratch, false);
    for (let b = 0; b < B; b++) {
      const sb = hin + b * H;
      const db = hout + b * H;
      if (!isValid(a, b, t)) {
        for (let j = 0; j < H; j++) {
          hs[db + j] = hs[sb + j]!;
          cs[db + j] = cs[sb + j]!;
        }
        continue;
      }
      const gb = (t * B + b) * G;
      const kb = b * G;
      const ob = (t * B + b) * stride + offset;
      const tb = (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[gb + j]! + scratch[kb + j]!);
        const f = sigmoid(gates[gb + H + j]! + scratch[kb + H + j]!);
        const g = Math.tanh(gates[gb + 2 * H + j]! + scratch[kb + 2 * H + j]!);
        const o = sigmoid(gates[gb + 3 * H + j]! + scratch[kb + 3 * H + j]!);
        gates[gb + j] = i;
        gates[gb + H + j] = f;
        gates[gb + 2 * H + j] = g;
        gates[gb + 3 * H + j] = o;
        cs[db + j] = f * cs[sb + j]! + i * g;
        const tc = Math.tanh(cs[db + j]!);
        if (tanhC) tanhC[tb + j] = tc;
        const h = o * tc;
        hs[db + j] = h;
        out[ob + j] = h;
      }
    }
  }
}

export interface LstmBackwardArgs extends SequenceSpec, OutputView {
  /** Activated gates saved by the forward ([T, B, 4H]). */
  gates: Storage;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinGemmB`); optional, same numbers. */
  hh?: PinnedGemm;
  /** Cell-state slots saved by the forward ([T+1, B, H]). */
  cs: Storage;
  /** tanh(c_t) saved by the forward ([T, B, H]). */
  tanhC: Storage;
  /** [B, H]: on entry ∂L/∂h_n, on exit ∂L/∂h_0. */
  dh: Storage;
  /** [B, H]: on entry ∂L/∂c_n, on exit ∂L/∂c_0. */
  dc: Storage;
  /** [T, B, 4H] output: gradient of the gate pre-activations (zero at padded steps). Must start zeroed. */
  dGates: Storage;
  /** [B, H] work space in the gate gradients' dtype. */
  scratch: Storage;
  onHiddenGrad?: HiddenGradHook;
}

/**
 * Backward through time for one LSTM direction. `out` is ∂L/∂output (only valid steps are read).
 * Leaves dGates for the caller's weight/input GEMMs; dh/dc become the gradients of the initial state.
 */
export function lstmSequenceBackward(a: LstmBackwardArgs): void {
  const { T, B, H, gates, wHH, cs, tanhC, dh, dc, dGates, out: dOut, stride, offset } = a;
  const G = 4 * H;
  const BH = B * H;
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(a, s);
    const cin = inputSlot(a, s) * BH;
    for (let b = 0; b < B; b++) {
      if (!isValid(a, b, t)) continue;
      const ob = (t * B + b) * stride + offset;
      for (let j = 0; j < H; j++) dh[b * H + j]! += dOut[ob + j]!;
    }
    if (a.onHiddenGrad) a.onHiddenGrad(t, dh);
    for (let b = 0; b < B; b++) {
      if (!isValid(a, b, t)) continue;
      const gb = (t * B + b) * G;
      const tb = (t * B + b) * H;
      const hb = b * H;
      for (let j = 0; j < H; j++) {
        const i = gates[gb + j]!;
        const f = gates[gb + H + j]!;
        const g = gates[gb + 2 * H + j]!;
        const o = gates[gb + 3 * H + j]!;
        const tc = tanhC[tb + j]!;
        const dhv = dh[hb + j]!;
        const dcv = dc[hb + j]! + dhv * o * (1 - tc * tc);
        dGates[gb + j] = dcv * g * i * (1 - i);
        dGates[gb + H + j] = dcv * cs[cin + hb + j]! * f * (1 - f);
        dGates[gb + 2 * H + j] = dcv * i * (1 - g * g);
        dGates[gb + 3 * H + j] = dhv * tc * o * (1 - o);
        dc[hb + j] = dcv * f;
        dh[hb + j] = 0;
      }
    }
    // dh_{prev} = dGates_t · W_hh (padded rows of dGates are zero, so their dh passes through unchanged).
    accumulateProduct(B, H, G, dGates.subarray(t * B * G, (t + 1) * B * G), wHH, dh, a.scratch, a.hh);
  }
}
