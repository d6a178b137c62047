// @recurrent/music on the music workloads: W5 trains the shipped `jsb` PianoRollRNN through its own loss, the
// generation row samples 128 frames from the shipped `jsb` and `jsb-nade` models.
import { Adam, clipGradNorm } from '@recurrent/core';
import { generateRoll, PianoRollRNN } from '@recurrent/music';
import { loadMusicModelDir } from '@recurrent/music/node';
import { Rng } from '../data.js';
import { JsbWindows, shippedMusicModelDir } from '../music-data.js';
import { MUSIC_GENERATION, W5 } from '../music-shapes.js';
import type { Runner } from '../types.js';

/** The shipped model directory's roll model; a clear error when it is the wrong family. */
function shippedRollModel(name: 'jsb' | 'jsb-nade') {
  const loaded = loadMusicModelDir(shippedMusicModelDir(name));
  if (loaded.family !== 'roll') throw new Error(`${name}: expected a piano-roll model, got the ${loaded.family} model`);
  return loaded;
}

/**
 * W5: one training step of the shipped `jsb` PianoRollRNN (LSTM 200, dropout 0.3, training mode) from its weights:
 * the task's loss (−log p summed over keys and frames ÷ frames), backward, clip 1.0, Adam 2e-3; ms per step.
 */
export async function w5Ours(): Promise<Runner> {
  const { model, config } = shippedRollModel('jsb');
  if (!(model instanceof PianoRollRNN)) throw new Error('models/jsb: expected a PianoRollRNN');
  const { hiddenSize, dropout, numLayers, cell } = config.architecture;
  if (hiddenSize !== W5.hidden || dropout !== W5.dropout || numLayers !== 1 || cell !== 'lstm')
    throw new Error(`models/jsb: architecture ${JSON.stringify(config.architecture)} is not W5's`);
  model.train();
  const optimizer = new Adam(model.parameters(), { lr: W5.lr });
  const windows = new JsbWindows();
  const rng = new Rng(5);
  return {
    run() {
      const batch = windows.next(rng);
      const t0 = performance.now();
      const loss = model.negLogLikelihood(batch).mul(1 / batch.frames);
      loss.backward();
      clipGradNorm(model.parameters(), W5.clip);
      optimizer.step();
      optimizer.zeroGrad();
      loss.item();
      return performance.now() - t0;
    },
  };
}

/** Music generation: 128 frames sampled from silence by a shipped model (temperature 1), ms per frame. */
export async function generationOurs(name: 'jsb' | 'jsb-nade'): Promise<Runner> {
  const { model, config } = shippedRollModel(name);
  if (config.stepsPerQuarter !== MUSIC_GENERATION.stepsPerQuarter)
    throw new Error(
      `${name}: ${config.stepsPerQuarter} frames per quarter, the row assumes ${MUSIC_GENERATION.stepsPerQuarter}`,
    );
  let seed = 0;
  return {
    run() {
      const t0 = performance.now();
      const out = generateRoll(model, { steps: MUSIC_GENERATION.frames, seed: seed++ });
      const ms = performance.now() - t0;
      if (out.roll.frames !== MUSIC_GENERATION.frames) throw new Error(`${name}: generated ${out.roll.frames} frames`);
      return ms / MUSIC_GENERATION.frames;
    },
  };
}
