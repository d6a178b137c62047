// The step loops every TypeScript recurrent kernel (lstm.ts, gru.ts, rnn.ts) shares; each kernel supplies only its
// cell arithmetic for one batch row. Slots and layouts follow SequenceSpec (sequence.ts).
import type { Storage } from '../../tensor/dtype.js';
import type { PinnedMatrix } from '../wasm/resident-matrix.js';
import {
  accumulateProduct,
  inputSlot,
  isValid,
  outputSlot,
  stepTime,
  weightGemm,
  type HiddenGradHook,
  type OutputView,
  type SequenceSpec,
} from './sequence.js';

/**
 * Forward over the whole sequence: for each step in the direction's order, h_{t-1}·W_hhᵀ for the whole batch into
 * `scratch` ([B, G]), then `cell(b, row, src, dst)` for every valid row, where row = t·B + b is its row in [T, B, ·]
 * buffers and src / dst are its offsets in the state slots of h_{t-1} and h_t. A padded row carries its state: every
 * array in `carried` is copied from src to dst.
 */
export function forwardSteps(
  a: SequenceSpec & { hh?: PinnedMatrix },
  G: number,
  wHH: Storage,
  hs: Storage,
  scratch: Storage,
  carried: readonly Storage[],
  cell: (b: number, row: number, src: number, dst: number) => void,
): void {
  const { T, B, H } = a;
  const BH = B * H;
  for (let s = 0; s < T; s++) {
    const t = stepTime(a, s);
    const hin = inputSlot(a, s) * BH;
    const hout = outputSlot(a, s) * BH;
    weightGemm(a.hh, false, true, B, G, H, hs.subarray(hin, hin + BH), wHH, scratch, false);
    for (let b = 0; b < B; b++) {
      const src = hin + b * H;
      const dst = hout + b * H;
      if (isValid(a, b, t)) cell(b, t * B + b, src, dst);
      else for (const s of carried) for (let j = 0; j < H; j++) s[dst + j] = s[src + j]!;
    }
  }
}

/**
 * Backward through time, last step first: ∂L/∂output of each valid row is added into dh ([B, H]), the hook sees dh,
 * `cell(b, row, hin, hout)` turns each valid row's dh into gate gradients (row = t·B + b: its row in [T, B, ·] buffers;
 * hin / hout: the step's slot offsets of h_{t-1} and h_t) and leaves in dh what reaches h_{t-1} other than through
 * W_hh; then dh += recurrent_t·W_hh, where
 * `recurrent` [T, B, G] holds the gradients of the products with W_hh that `cell` wrote (zero at padded rows, whose
 * dh so passes through unchanged).
 */
export function backwardSteps(
  a: SequenceSpec & OutputView & { hh?: PinnedMatrix; scratch: Storage; onHiddenGrad?: HiddenGradHook },
  G: number,
  wHH: Storage,
  dh: Storage,
  recurrent: Storage,
  cell: (b: number, row: number, hin: number, hout: number) => void,
): void {
  const { T, B, H, out: dOut, stride, offset } = a;
  const BH = B * H;
  const BG = B * G;
  for (let s = T - 1; s >= 0; s--) {
    const t = stepTime(a, s);
    const hin = inputSlot(a, s) * BH;
    const hout = outputSlot(a, s) * BH;
    for (let b = 0; b < B; b++) {
      if (!isValid(a, b, t)) continue;
      const ob = (t * B + b) * stride + offset;
      for (let j = 0; j < H; j++) dh[b * H + j]! += dOut[ob + j]!;
    }
    if (a.onHiddenGrad) a.onHiddenGrad(t, dh);
    for (let b = 0; b < B; b++) if (isValid(a, b, t)) cell(b, t * B + b, hin, hout);
    accumulateProduct(B, H, G, recurrent.subarray(t * BG, (t + 1) * BG), wHH, dh, a.scratch, a.hh);
  }
}
