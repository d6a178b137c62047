import { indexSelect, reshape, Tensor, ValueError, type DType } from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';
import { validatePianoRoll, type PianoRoll } from '../roll/piano-roll.js';

/**
 * A batch of rolls for next-frame prediction, padded to the longest: frame t is predicted from frames 0..t−1, so
 * the inputs are the rolls shifted right by one with a silent frame first (frame 0 is predicted from a zero
 * frame and counts like every other frame — the convention of the `jsb_lstm_200` PyTorch anchor).
 */
export interface RollBatch {
  /** [B, T, 88]: a zero frame, then frames 0..T−2 of each roll (zeros past its end). */
  inputs: Tensor;
  /** [B, T, 88]: frames 0..T−1 of each roll (zeros past its end). */
  targets: Tensor;
  /** Frames of each roll. */
  lengths: number[];
  /** Row b·T + t of every real (unpadded) frame, in order: select them from a [B·T, …] tensor. */
  validRows: Int32Array;
  /** Σ lengths. */
  frames: number;
  /** T, the longest roll. */
  maxFrames: number;
}

/** The rows of real frames of a per-frame tensor [B, T, width] of this batch, as [frames, width]. */
export function realFrameRows(x: Tensor, batch: RollBatch, width: number): Tensor {
  const rows = (batch.inputs.shape[0] ?? 0) * batch.maxFrames;
  return indexSelect(reshape(x, [rows, width]), 0, batch.validRows);
}

export interface RollBatchOptions {
  dtype?: DType;
}

/** Pack rolls (each ≥ 1 frame) into a RollBatch. */
export function rollBatch(rolls: readonly PianoRoll[], options: RollBatchOptions = {}): RollBatch {
  if (rolls.length === 0) throw new ValueError('rollBatch: needs at least one roll');
  rolls.forEach((r, i) => {
    validatePianoRoll(r, `rollBatch: roll ${i}`);
    if (r.frames === 0) throw new ValueError(`rollBatch: roll ${i} has no frames`);
  });
  const B = rolls.length;
  const T = rolls.reduce((m, r) => Math.max(m, r.frames), 0);
  const dtype = options.dtype ?? 'float32';
  const make = (n: number) => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const inputs = make(B * T * PIANO_KEYS);
  const targets = make(B * T * PIANO_KEYS);
  const lengths = rolls.map((r) => r.frames);
  const frames = lengths.reduce((s, n) => s + n, 0);
  const validRows = new Int32Array(frames);
  let v = 0;
  rolls.forEach((r, b) => {
    const base = b * T * PIANO_KEYS;
    targets.set(r.keys, base);
    inputs.set(r.keys.subarray(0, (r.frames - 1) * PIANO_KEYS), base + PIANO_KEYS);
    for (let t = 0; t < r.frames; t++) validRows[v++] = b * T + t;
  });
  return {
    inputs: new Tensor(inputs, [B, T, PIANO_KEYS]),
    targets: new Tensor(targets, [B, T, PIANO_KEYS]),
    lengths,
    validRows,
    frames,
    maxFrames: T,
  };
}

/** Rolls in batches of at most `batchSize`, in the given order. */
export function* rollBatches(
  rolls: readonly PianoRoll[],
  batchSize: number,
  options: RollBatchOptions = {},
): Generator<RollBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`rollBatches: batchSize must be a positive integer, got ${batchSize}`);
  for (let i = 0; i < rolls.length; i += batchSize) yield rollBatch(rolls.slice(i, i + batchSize), options);
}
