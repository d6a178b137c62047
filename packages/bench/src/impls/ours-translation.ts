// @recurrent/text's Translator in the translation workloads, used the way a user would: translationLoss, Adam and
// clipGradNorm for the training step (as `train translate` does), translate / translateBatch for decoding.
import { Adam, clipGradNorm, manualSeed } from '@recurrent/core';
import { translationLoss, type TranslateOptions } from '@recurrent/text';
import type { Runner } from '../types.js';
import {
  freshTrainingModel,
  latencySentence,
  trainingBatches,
  translationSetup,
  validationSources,
} from '../translation-setup.js';
import { W7 } from '../types.js';

/**
 * W3: one training step of the shipped configuration (`train translate` defaults: architecture, batch, label
 * smoothing, Adam lr, clip), dropout on, on real Multi30k batches taken in the same order as the tfjs peer; ms/step.
 */
export async function w3Ours(): Promise<Runner> {
  manualSeed(0);
  const setup = translationSetup();
  const { config } = setup;
  const model = freshTrainingModel(setup);
  model.train();
  const optimizer = new Adam(model.parameters(), { lr: config.lr });
  const batches = trainingBatches(setup);
  let next = 0;
  return {
    notes: [`ours: a fresh model of the default architecture at seed ${config.seed}; tokenizer: ${setup.origin}`],
    run() {
      const batch = batches[next++ % batches.length]!;
      const t0 = performance.now();
      const { loss } = translationLoss(model, batch, { labelSmoothing: config.labelSmoothing });
      loss.backward();
      clipGradNorm(model.parameters(), config.clip);
      optimizer.step();
      optimizer.zeroGrad();
      loss.item();
      return performance.now() - t0;
    },
  };
}

/** W7a / W7b: translate the 13-word sentence (greedy or beam 5); ms per sentence. */
export async function w7LatencyOurs(method: 'greedy' | 'beam'): Promise<Runner> {
  const setup = translationSetup();
  const sentence = latencySentence(setup);
  const options: TranslateOptions =
    method === 'greedy' ? { method } : { method, beamSize: W7.beamSize, alpha: W7.alpha };
  const first = setup.model.translate(sentence, options);
  return {
    notes: [`ours: ${setup.origin}`, `"${sentence}" → "${first.text}"`],
    run() {
      const t0 = performance.now();
      setup.model.translate(sentence, options);
      return performance.now() - t0;
    },
  };
}

/** W7c: the first W7.batch validation sentences through translateBatch, greedy; sentences per second. */
export async function w7BatchOurs(): Promise<Runner> {
  const setup = translationSetup();
  const sources = validationSources(setup, W7.batch);
  return {
    notes: [`ours: ${setup.origin}`],
    run() {
      const t0 = performance.now();
      setup.model.translateBatch(sources, { method: 'greedy' });
      return sources.length / ((performance.now() - t0) / 1000);
    },
  };
}
