import { allocate, dtypeOf, type Storage } from '../../tensor/dtype.js';
import { gemm } from '../gemm.js';
import type { PinnedMatrix } from '../wasm/resident-matrix.js';

/**
 * Shape of one direction of one recurrent layer over a whole sequence, as the fused kernels see it.
 *
 * All kernels work time-major: step data for time t lives at rows [t*B, (t+1)*B) of every [T, B, ·] buffer.
 * Hidden/cell states live in "slots" of [B, H]: when `save` is true there are T+1 slots, slot k being the state
 * at the boundary between times k-1 and k (forward direction reads slot t and writes t+1 at time t; the reverse
 * direction reads t+1 and writes t), so backward finds every step's input state. When `save` is false (inference)
 * two ping-pong slots are used and nothing per-step is kept.
 */
export interface SequenceSpec {
  /** Number of time steps. */
  T: number;
  /** Batch size. */
  B: number;
  /** Hidden size. */
  H: number;
  /** Process times T-1 … 0 (the `_reverse` direction of a bidirectional layer). */
  reverse: boolean;
  /** Valid length of each sequence (1..T), or null when all are T. Steps at t >= length carry the state unchanged. */
  lengths: Int32Array | null;
  /** Keep per-step buffers for backward (T+1 state slots) or run lean for inference (2 slots). */
  save: boolean;
}

/** Where a kernel writes its per-step hidden output: `out[(t*B + b) * stride + offset + j]`. */
export interface OutputView {
  out: Storage;
  stride: number;
  offset: number;
}

/** The time processed at step s (0-based, in processing order). */
export function stepTime(spec: SequenceSpec, s: number): number {
  return spec.reverse ? spec.T - 1 - s : s;
}

/** Slot holding the state that step s reads. */
export function inputSlot(spec: SequenceSpec, s: number): number {
  if (!spec.save) return s & 1;
  const t = stepTime(spec, s);
  return spec.reverse ? t + 1 : t;
}

/** Slot receiving the state that step s produces. */
export function outputSlot(spec: SequenceSpec, s: number): number {
  if (!spec.save) return (s + 1) & 1;
  const t = stepTime(spec, s);
  return spec.reverse ? t : t + 1;
}

export function slotCount(spec: SequenceSpec): number {
  return spec.save ? spec.T + 1 : 2;
}

/** Slot the initial state must be written to before the forward kernel runs. */
export function initialSlot(spec: SequenceSpec): number {
  return inputSlot(spec, 0);
}

/** Slot holding the final state after the forward kernel ran. */
export function finalSlot(spec: SequenceSpec): number {
  return outputSlot(spec, spec.T - 1);
}

/** First slot of the T contiguous slots that were the input states of times 0..T-1 (save mode). */
export function firstInputSlot(spec: SequenceSpec): number {
  return spec.reverse ? 1 : 0;
}

/** Whether sequence b has a real (non-padding) element at time t. */
export function isValid(spec: SequenceSpec, b: number, t: number): boolean {
  return spec.lengths === null || t < spec.lengths[b]!;
}

/** Logistic sigmoid, written to stay finite for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Called by backward kernels with ∂L/∂h_t ([B, H]) for each time t, in processing order of the backward pass. */
export type HiddenGradHook = (t: number, dh: Storage) => void;

/**
 * C = op(A)·op(B) (+ C) where B is the recurrent weight: through `pinned` (B already resident and packed in wasm
 * memory for the whole sequence) when given, else the plain `gemm`. Same numbers either way.
 */
export function weightGemm(
  pinned: PinnedMatrix | undefined,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Storage,
  B: Storage,
  C: Storage,
  accumulate: boolean,
): void {
  if (pinned) pinned.gemm(transA, transB, M, N, K, A, C, accumulate);
  else gemm(transA, transB, M, N, K, A, B, C, accumulate);
}

/**
 * C += A·B (A M×K, B K×N, row-major; B optionally `pinned`). When C is a float64 accumulator but A and B are
 * float32, the product is formed in `scratch` (M×N, A's type) so it can take the fast float32 GEMM path, then added
 * into C.
 */
export function accumulateProduct(
  M: number,
  N: number,
  K: number,
  A: Storage,
  B: Storage,
  C: Storage,
  scratch: Storage,
  pinned?: PinnedMatrix,
): void {
  if (C instanceof Float64Array && A instanceof Float32Array) {
    weightGemm(pinned, false, false, M, N, K, A, B, scratch, false);
    for (let i = 0; i < M * N; i++) C[i]! += scratch[i]!;
  } else {
    weightGemm(pinned, false, false, M, N, K, A, B, C, true);
  }
}

/** [A, B, F] → [B, A, F] copy (batch-first ↔ time-major); returns `src` itself when either leading size is 1. */
export function swapLeading(src: Storage, A: number, B: number, F: number): Storage {
  if (A === 1 || B === 1) return src;
  const out = allocate(dtypeOf(src), A * B * F);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const s = (a * B + b) * F;
      const d = (b * A + a) * F;
      for (let f = 0; f < F; f++) out[d + f] = src[s + f]!;
    }
  }
  return out;
}
