// Node-only: the `scenes` training task (SceneEncoder + Captioner from scratch on generated scenes).
import {
  ValueError,
  checkLrScheduleConfig,
  checkPositiveInt,
  epochGenerator,
  LR_SCHEDULE_DEFAULTS,
  makeLrScheduler,
  RUNNER_CONFIG_DEFAULTS,
  type LrScheduleConfig,
  type RunnerConfig,
  type TrainingTaskDefinition,
} from '@recurrent/core';
import { SceneCaptioner, type SceneCaptionerArchitecture } from '../models/scene-captioner.js';
import { saveVisionModel } from '../models/save-model.js';
import { sceneSplit, type Scene, type SceneSplit } from '../scenes/generate.js';
import { evaluateScenes, sceneImages } from './scene-evaluation.js';

export interface ScenesConfig extends RunnerConfig, LrScheduleConfig {
  task: 'scenes';
  batchSize: number;
  /** Training scenes: indices 0 … trainScenes − 1 of the `train` stream. */
  trainScenes: number;
  /** Validation scenes: the next indices of the `train` stream (disjoint from training). */
  validScenes: number;
  /** Size of the fixed test and held-out sets that `eval` and the test after training report. */
  testScenes: number;
  /** Seed of the scene streams (the splits of the README are seed 0). */
  sceneSeed: number;
  /** λ of the doubly stochastic attention term. */
  attentionPenalty: number;
  architecture: SceneCaptionerArchitecture;
}

export interface ScenesData {
  valid: Scene[];
}

export interface ScenesBatch {
  indices: number[];
}

export function scenesDefaults(): ScenesConfig {
  return {
    ...RUNNER_CONFIG_DEFAULTS,
    ...LR_SCHEDULE_DEFAULTS,
    task: 'scenes',
    lr: 2e-3,
    epochs: 4,
    patience: 0,
    evalEvery: 250,
    checkpointEvery: 50,
    batchSize: 32,
    trainScenes: 20000,
    validScenes: 200,
    testScenes: 1000,
    sceneSeed: 0,
    // 0: on scenes most cells are background, and the term (every cell looked at about once) pulled attention off
    // the objects — pointing 0.42 with λ 0.01 against 0.73 without at 500 steps (README, "Training the scenes model").
    attentionPenalty: 0,
    architecture: {
      imageSize: 64,
      encoderWidth: 64,
      encoderBlocks: 4,
      embDim: 32,
      hiddenSize: 128,
      dropout: 0,
      maxLength: 24,
      featureNorm: true,
      deepOutput: true,
    },
  };
}

export function checkScenesConfig(c: ScenesConfig): void {
  for (const key of ['batchSize', 'trainScenes', 'validScenes', 'testScenes'] as const) checkPositiveInt(key, c[key]);
  if (!Number.isInteger(c.sceneSeed) || c.sceneSeed < 0)
    throw new ValueError(`config: sceneSeed must be a non-negative integer, got ${c.sceneSeed}`);
  if (!(c.attentionPenalty >= 0))
    throw new ValueError(`config: attentionPenalty must be ≥ 0, got ${c.attentionPenalty}`);
  checkLrScheduleConfig(c);
  new SceneCaptioner(c.architecture, { seed: 0 }); // checks the architecture (ValueError naming the key)
}

/** The scenes of a split that `eval` uses: test and held-out are fixed streams, val the validation scenes. */
export function evaluationScenes(config: ScenesConfig, split: SceneSplit | 'val'): Scene[] {
  const size = config.architecture.imageSize;
  if (split === 'val')
    return sceneSplit('train', config.validScenes, { seed: config.sceneSeed, start: config.trainScenes, size });
  return sceneSplit(split, config.testScenes, { seed: config.sceneSeed, size });
}

export function loadScenesData(config: ScenesConfig): ScenesData {
  return { valid: evaluationScenes(config, 'val') };
}

export const scenesTask: TrainingTaskDefinition<ScenesConfig, ScenesData, ScenesBatch> = {
  name: 'scenes',
  selection: { metric: 'exact_match', mode: 'max' },
  build(config, data, { outDir }) {
    if (outDir === null) throw new ValueError('scenes: training writes its model to an output directory');
    const model = new SceneCaptioner(config.architecture, { seed: config.seed });
    const { batchSize: B, trainScenes: N } = config;
    const options = { seed: config.sceneSeed, size: config.architecture.imageSize };
    return {
      model,
      generators: [model.generator],
      summary: `${N} training scenes (generated per batch), ${data.valid.length} validation scenes`,
      dataDescription: `generated scenes: seed ${config.sceneSeed}, train indices 0–${N - 1}`,
      trainingExamples: N,
      validationExamples: data.valid.length,
      epochBatches: (epoch) => {
        const order = epochGenerator(config.seed, epoch).permutation(N);
        const batches: ScenesBatch[] = [];
        for (let i = 0; i + B <= N; i += B) batches.push({ indices: order.slice(i, i + B) });
        return batches;
      },
      step: ({ indices }) => {
        const scenes = indices.map((i) => sceneSplit('train', 1, { ...options, start: i })[0] as Scene);
        const memory = model.captioner.prepare(model.encoder.forward(sceneImages(scenes)));
        const { inputs, targets } = model.vocabulary.teacherForcing(scenes.map((s) => s.caption.tokens));
        const { loss } = model.captioner.loss(memory, inputs, targets, {
          padId: model.vocabulary.pad,
          attentionPenalty: config.attentionPenalty,
        });
        return { loss, tokens: B };
      },
      evaluate: (progress) => {
        const m = evaluateScenes(model, data.valid, { progress });
        return { exact_match: m.exact_match, pointing: m.pointing, bleu4: m.bleu4 };
      },
      saveModel: (info) => saveVisionModel(outDir, model, info),
    };
  },
  lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
};
