import type { Storage } from '../../tensor/dtype.js';
import type { PinnedMatrix } from '../wasm/resident-matrix.js';
import { sigmoid, type HiddenGradHook, type OutputView, type SequenceSpec } from './sequence.js';
import { backwardSteps, forwardSteps } from './step-loops.js';

// GRU, PyTorch gate order r, z, n (G = 3H):
//   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr),  z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
//   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),  h' = n + z ⊙ (h − n)

export interface GruForwardArgs extends SequenceSpec, OutputView {
  /** [T, B, 3H]: on entry x·W_ihᵀ + b_ih + [b_hr, b_hz, 0]; on exit the activated gates r, z, n. */
  gates: Storage;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
  /** b_hn ([H]), which stays inside r ⊙ (…); null without bias. */
  bHN: Storage | null;
  hs: Storage;
  /** [T, B, H] h W_hnᵀ + b_hn kept for backward, or [B, H] scratch when not saving. */
  hn: Storage;
  /** [B, 3H] work space. */
  scratch: Storage;
}

/** Run a GRU direction over the whole sequence (see SequenceSpec for slot and layout conventions). */
export function gruSequenceForward(a: GruForwardArgs): void {
  const { H, gates, wHH, bHN, hs, hn, scratch, out, stride, offset } = a;
  const G = 3 * H;
  forwardSteps(a, G, wHH, hs, scratch, [hs], (b, row, sb, db) => {
    const gb = row * G;
    const kb = b * G;
    const ob = row * stride + offset;
    const nb = (a.save ? row : b) * H;
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gates[gb + j]! + scratch[kb + j]!);
      const z = sigmoid(gates[gb + H + j]! + scratch[kb + H + j]!);
      const hnv = scratch[kb + 2 * H + j]! + (bHN ? bHN[j]! : 0);
      hn[nb + j] = hnv;
      const n = Math.tanh(gates[gb + 2 * H + j]! + r * hn[nb + j]!);
      gates[gb + j] = r;
      gates[gb + H + j] = z;
      gates[gb + 2 * H + j] = n;
      const h = n + z * (hs[sb + j]! - n);
      hs[db + j] = h;
      out[ob + j] = h;
    }
  });
}

export interface GruBackwardArgs extends SequenceSpec, OutputView {
  /** Activated gates saved by the forward ([T, B, 3H]). */
  gates: Storage;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
  /** Hidden-state slots saved by the forward ([T+1, B, H]). */
  hs: Storage;
  /** h W_hnᵀ + b_hn saved by the forward ([T, B, H]). */
  hn: Storage;
  /** [B, H]: on entry ∂L/∂h_n, on exit ∂L/∂h_0. */
  dh: Storage;
  /** [T, B, 3H] output: gradient of the input-side pre-activations (for dW_ih, db_ih, dx). Must start zeroed. */
  dGates: Storage;
  /** [T, B, 3H] output: gradient of the hidden-side pre-activations (for dW_hh, db_hh). Must start zeroed. */
  dGatesH: Storage;
  /** [B, H] work space in the gate gradients' dtype. */
  scratch: Storage;
  onHiddenGrad?: HiddenGradHook;
}

/** Backward through time for one GRU direction; `out` is ∂L/∂output (only valid steps are read). */
export function gruSequenceBackward(a: GruBackwardArgs): void {
  const { H, gates, wHH, hs, hn, dh, dGates, dGatesH } = a;
  const G = 3 * H;
  backwardSteps(a, G, wHH, dh, dGatesH, (b, row, hin) => {
    const gb = row * G;
    const nb = row * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const r = gates[gb + j]!;
      const z = gates[gb + H + j]!;
      const n = gates[gb + 2 * H + j]!;
      const dhv = dh[hb + j]!;
      const dnPre = dhv * (1 - z) * (1 - n * n);
      const drPre = dnPre * hn[nb + j]! * r * (1 - r);
      const dzPre = dhv * (hs[hin + hb + j]! - n) * z * (1 - z);
      dGates[gb + j] = drPre;
      dGates[gb + H + j] = dzPre;
      dGates[gb + 2 * H + j] = dnPre;
      dGatesH[gb + j] = drPre;
      dGatesH[gb + H + j] = dzPre;
      dGatesH[gb + 2 * H + j] = dnPre * r;
      dh[hb + j] = dhv * z;
    }
  });
}
