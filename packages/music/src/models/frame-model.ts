import type { Generator, Module, RecurrentState, Tensor } from '@recurrent/core';
import type { PianoRoll } from '../roll/piano-roll.js';
import type { RollBatch } from './batch.js';

/** A model of piano rolls frame by frame: exact log-likelihood of a batch, and sampling one frame at a time. */
export interface FrameModel extends Module {
  /** −log p(targets) in nats, summed over the batch's real frames and the 88 keys: a scalar with gradients. */
  negLogLikelihood(batch: RollBatch): Tensor;
  /** The recurrent state after reading `inputs` [1, T, 88] from `state` (zeros when absent). */
  readFrames(inputs: Tensor, state?: RecurrentState): RecurrentState;
  /**
   * Read `input` ([1, 88], the previous frame) from `state`, and draw the next frame. `probabilities` is filled
   * with each key's probability of sounding as the model saw it when drawing (for an autoregressive frame model:
   * given the keys drawn below it).
   */
  sampleStep(
    input: Tensor,
    state: RecurrentState | undefined,
    draw: FrameDraw,
  ): { frame: Uint8Array; state: RecurrentState };
}

export interface FrameDraw {
  temperature: number;
  generator: Generator;
  probabilities: Float64Array;
}

export interface GenerateRollOptions {
  /** Frames to continue (default 64); ≥ 0. */
  steps?: number;
  /** Frames the model reads first; the continuation follows them. */
  primer?: PianoRoll;
  /** Divides every logit before the sigmoid (> 0, default 1): below 1 sharper, above 1 more random. */
  temperature?: number;
  /** Seed of the sampling generator (default 0): the same seed gives the same roll. */
  seed?: number;
  /** Or a generator to draw from (overrides `seed`). */
  generator?: Generator;
  /** Called after every generated frame with (frames done, steps). */
  onStep?: (done: number, steps: number) => void;
}

export interface GeneratedRoll {
  /** The primer followed by the continuation. */
  roll: PianoRoll;
  /** Frames of the primer at the start of `roll`. */
  primerFrames: number;
  /** [steps, 88]: probability of each key in each generated frame, as the model gave it when drawing. */
  probabilities: Float32Array;
}
