import { noGrad, ValueError, type ReportProgress } from '@recurrent/core';
import type { PianoRoll } from '../roll/piano-roll.js';
import { rollBatches } from './batch.js';
import type { FrameModel } from './frame-model.js';

export interface NllOptions {
  /** Rolls per forward pass (default 16); the result does not depend on it. */
  batchSize?: number;
  /** Told (done, total) rolls after each batch (a long evaluation's progress lines). */
  progress?: ReportProgress;
}

export interface NllResult {
  /** Total nats over all frames ÷ frames. */
  nllPerFrame: number;
  /** Frames counted (every frame of every roll, frame 0 included). */
  frames: number;
  /** Total −log p in nats. */
  nats: number;
}

/**
 * Negative log-likelihood per frame of `rolls` under a frame model, in the convention of the PyTorch anchor
 * `jsb_lstm_200`: nats; for each frame the sum over the 88 keys (the binary cross-entropy of every key for the
 * independent-sigmoid model, the NADE's exact −log p(frame) for RNN-NADE); frame t predicted from frames 0..t−1
 * with frame 0 predicted from a zero frame and counted; the mean over ALL frames of the split (frames of long
 * pieces weigh more — not a mean of per-piece means). Eval mode (no dropout), no gradients.
 */
export function nllPerFrame(model: FrameModel, rolls: readonly PianoRoll[], options: NllOptions = {}): NllResult {
  const batchSize = options.batchSize ?? 16;
  const usable = rolls.filter((r) => r.frames > 0);
  if (usable.length === 0) throw new ValueError('nllPerFrame: no frames to score');
  const dtype = model.parameters()[0]?.dtype ?? 'float32';
  // Longest first: batches of similar lengths waste less padding; the sum does not depend on the order.
  const sorted = usable.slice().sort((a, b) => b.frames - a.frames);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let nats = 0;
      let frames = 0;
      let rollsDone = 0;
      for (const batch of rollBatches(sorted, batchSize, { dtype })) {
        nats += model.negLogLikelihood(batch).data[0]!;
        frames += batch.frames;
        rollsDone = Math.min(sorted.length, rollsDone + batchSize);
        options.progress?.(rollsDone, sorted.length);
      }
      return { nllPerFrame: nats / frames, frames, nats };
    });
  } finally {
    model.train(wasTraining);
  }
}
