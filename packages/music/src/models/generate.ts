import { Generator, noGrad, Tensor, ValueError, type DType, type RecurrentState } from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';
import { concatRolls, validatePianoRoll } from '../roll/piano-roll.js';
import { rollBatch } from './batch.js';
import type { FrameModel, GeneratedRoll, GenerateRollOptions } from './frame-model.js';

/** One frame of 0/1 keys as a [1, 1, 88] model input. */
function frameTensor(keys: Uint8Array, dtype: DType): Tensor {
  return new Tensor(dtype === 'float64' ? Float64Array.from(keys) : Float32Array.from(keys), [1, 1, PIANO_KEYS]);
}

/**
 * Continue a primer (or start from silence) frame by frame: the model reads a silent frame and the primer, then
 * draws each new frame and reads it back. Eval mode, no gradients; the same seed gives the same roll.
 */
export function generateRoll(model: FrameModel, options: GenerateRollOptions = {}): GeneratedRoll {
  const steps = options.steps ?? 64;
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(`generateRoll: steps must be a non-negative integer, got ${steps}`);
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new ValueError(`generateRoll: temperature must be a finite number > 0, got ${temperature}`);
  const primer = options.primer ?? { frames: 0, keys: new Uint8Array(0) };
  validatePianoRoll(primer, 'generateRoll: primer');
  const generator = options.generator ?? new Generator(options.seed ?? 0);
  const dtype = model.parameters()[0]?.dtype ?? 'float32';
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let state: RecurrentState | undefined;
      let input = frameTensor(new Uint8Array(PIANO_KEYS), dtype);
      if (primer.frames > 0) {
        // [silence, primer 0..P−2] sets the state; the primer's last frame is the first input of the loop.
        state = model.readFrames(rollBatch([primer], { dtype }).inputs);
        const last = primer.keys.subarray((primer.frames - 1) * PIANO_KEYS);
        input = frameTensor(last, dtype);
      }
      const out = new Uint8Array(steps * PIANO_KEYS);
      const probabilities = new Float32Array(steps * PIANO_KEYS);
      const draw = { temperature, generator, probabilities: new Float64Array(PIANO_KEYS) };
      for (let s = 0; s < steps; s++) {
        const next = model.sampleStep(input, state, draw);
        state = next.state;
        out.set(next.frame, s * PIANO_KEYS);
        probabilities.set(draw.probabilities, s * PIANO_KEYS);
        input = frameTensor(next.frame, dtype);
        options.onStep?.(s + 1, steps);
      }
      return { roll: concatRolls([primer, { frames: steps, keys: out }]), primerFrames: primer.frames, probabilities };
    });
  } finally {
    model.train(wasTraining);
  }
}
