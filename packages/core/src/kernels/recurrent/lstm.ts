import type { Storage } from '../../tensor/dtype.js';
import type { PinnedMatrix } from '../wasm/resident-matrix.js';
import { sigmoid, type HiddenGradHook, type OutputView, type SequenceSpec } from './sequence.js';
import { backwardSteps, forwardSteps } from './step-loops.js';
import { sigmoidF32, tanhF32 } from './float32-math.js';

// LSTM, PyTorch gate order i, f, g, o (G = 4H):
//   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of  x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
//   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
// float32 storage: float32 arithmetic throughout, the wasm gate kernel's to the bit (float32-math.ts);
// float64 storage: float64 arithmetic (the parity path).

export interface LstmForwardArgs extends SequenceSpec, OutputView {
  /** [T, B, 4H]: on entry x·W_ihᵀ + b_ih + b_hh; on exit the activated gates i, f, g, o (kept for backward). */
  gates: Storage;
  /** [4H, H] recurrent weight. */
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
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
  const { H, gates, wHH, hs, cs, tanhC, scratch, out, stride, offset } = a;
  const G = 4 * H;
  const step = gates instanceof Float32Array ? forwardStepF32 : forwardStepF64;
  forwardSteps(a, G, wHH, hs, scratch, [hs, cs], (b, row, sb, db) => {
    step(H, gates, scratch, cs, hs, tanhC, out, row * G, b * G, sb, db, row * stride + offset, row * H);
  });
}

/**
 * One row of a step: gb, kb index gates and the recurrent product, sb/db the state slots, ob the output, tb tanh(c).
 */
type ForwardStep = (
  H: number,
  gates: Storage,
  rec: Storage,
  cs: Storage,
  hs: Storage,
  tanhC: Storage | null,
  out: Storage,
  gb: number,
  kb: number,
  sb: number,
  db: number,
  ob: number,
  tb: number,
) => void;

/**
 * The row loop for given activations and rounding: identity for float64; Math.fround after every operation for
 * float32, which is the wasm gate kernel's arithmetic to the bit (float32-math.ts).
 */
function forwardStep(
  sig: (x: number) => number,
  tanh: (x: number) => number,
  round: (x: number) => number,
): ForwardStep {
  return (H, gates, rec, cs, hs, tanhC, out, gb, kb, sb, db, ob, tb) => {
    for (let j = 0; j < H; j++) {
      const i = sig(round(gates[gb + j]! + rec[kb + j]!));
      const f = sig(round(gates[gb + H + j]! + rec[kb + H + j]!));
      const g = tanh(round(gates[gb + 2 * H + j]! + rec[kb + 2 * H + j]!));
      const o = sig(round(gates[gb + 3 * H + j]! + rec[kb + 3 * H + j]!));
      gates[gb + j] = i;
      gates[gb + H + j] = f;
      gates[gb + 2 * H + j] = g;
      gates[gb + 3 * H + j] = o;
      const c = round(round(f * cs[sb + j]!) + round(i * g));
      cs[db + j] = c;
      const tc = tanh(c);
      if (tanhC) tanhC[tb + j] = tc;
      const h = round(o * tc);
      hs[db + j] = h;
      out[ob + j] = h;
    }
  };
}

const forwardStepF64 = forwardStep(sigmoid, Math.tanh, (x) => x);
const forwardStepF32 = forwardStep(sigmoidF32, tanhF32, Math.fround);

export interface LstmBackwardArgs extends SequenceSpec, OutputView {
  /** Activated gates saved by the forward ([T, B, 4H]). */
  gates: Storage;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
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
  const { H, gates, wHH, cs, tanhC, dh, dc, dGates } = a;
  const G = 4 * H;
  backwardSteps(a, G, wHH, dh, dGates, (b, row, cin) => {
    const gb = row * G;
    const tb = row * H;
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
  });
}
