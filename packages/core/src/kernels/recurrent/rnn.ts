import type { Storage } from '../../tensor/dtype.js';
import type { PinnedMatrix } from '../wasm/resident-matrix.js';
import type { HiddenGradHook, OutputView, SequenceSpec } from './sequence.js';
import { backwardSteps, forwardSteps } from './step-loops.js';

// Elman RNN: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act = tanh or relu (G = H).

export type RnnNonlinearity = 'tanh' | 'relu';

export interface RnnForwardArgs extends SequenceSpec, OutputView {
  nonlinearity: RnnNonlinearity;
  /** [T, B, H]: x·W_ihᵀ + b_ih + b_hh (left unchanged). */
  pre: Storage;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
  /** [slots, B, H] hidden states; the initial state must be in `initialSlot`. */
  hs: Storage;
  /** [B, H] work space. */
  scratch: Storage;
}

/** Run a tanh/relu RNN direction over the whole sequence. */
export function rnnSequenceForward(a: RnnForwardArgs): void {
  const { H, pre, wHH, hs, scratch, out, stride, offset } = a;
  const relu = a.nonlinearity === 'relu';
  forwardSteps(a, H, wHH, hs, scratch, [hs], (b, row, _sb, db) => {
    const pb = row * H;
    const ob = row * stride + offset;
    for (let j = 0; j < H; j++) {
      const v = pre[pb + j]! + scratch[b * H + j]!;
      // biome-ignore lint/complexity/useMathMinMax: a NaN pre-activation gives 0 here (Math.max gives NaN); kept as is
      const h = relu ? (v > 0 ? v : 0) : Math.tanh(v);
      hs[db + j] = h;
      out[ob + j] = h;
    }
  });
}

export interface RnnBackwardArgs extends SequenceSpec, OutputView {
  nonlinearity: RnnNonlinearity;
  wHH: Storage;
  /** W_hh pinned in wasm memory for the whole sequence (see `pinMatrix`); optional, same numbers. */
  hh?: PinnedMatrix;
  /** Hidden-state slots saved by the forward ([T+1, B, H]). */
  hs: Storage;
  /** [B, H]: on entry ∂L/∂h_n, on exit ∂L/∂h_0. */
  dh: Storage;
  /** [T, B, H] output: gradient of the pre-activation. Must start zeroed. */
  dGates: Storage;
  /** [B, H] work space in the gate gradients' dtype. */
  scratch: Storage;
  onHiddenGrad?: HiddenGradHook;
}

/** Backward through time for one RNN direction; `out` is ∂L/∂output (only valid steps are read). */
export function rnnSequenceBackward(a: RnnBackwardArgs): void {
  const { H, wHH, hs, dh, dGates } = a;
  const relu = a.nonlinearity === 'relu';
  backwardSteps(a, H, wHH, dh, dGates, (b, row, _hin, hout) => {
    const pb = row * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const h = hs[hout + hb + j]!;
      dGates[pb + j] = dh[hb + j]! * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
      dh[hb + j] = 0;
    }
  });
}
