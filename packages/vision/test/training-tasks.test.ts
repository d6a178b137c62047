import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainingInterrupted, resolveTrainingConfig, findTrainingTask } from '@recurrent/core';
import { loadModelDir, runTraining, loadTrainingCheckpoint } from '@recurrent/core/node';
import { describe, expect, it } from 'vitest';
import { CocoCaptioner, SceneCaptioner, sceneSplit } from '../src/index.js';
import {
  cocoTask,
  decodePhotos,
  loadCocoData,
  loadScenesData,
  readCocoMini,
  scenesTask,
  type CocoConfig,
  type ScenesConfig,
} from '../src/node.js';
import { tempDir } from './helpers.js';

const quiet = { log: () => {}, progress: () => {} };

/** A scenes config small enough for a unit test (a few hundred parameters, 32 × 32 scenes). */
export function tinyScenesConfig(extra: Partial<ScenesConfig> = {}): ScenesConfig {
  const task = findTrainingTask('scenes');
  if (!task) throw new Error('the scenes task is not registered');
  return resolveTrainingConfig(task as never, {
    trainScenes: 24,
    validScenes: 6,
    testScenes: 6,
    batchSize: 6,
    epochs: 2,
    evalEvery: 3,
    checkpointEvery: 2,
    lr: 0.01,
    architecture: {
      imageSize: 32,
      encoderWidth: 4,
      encoderBlocks: 2,
      embDim: 4,
      hiddenSize: 8,
      dropout: 0.2,
      maxLength: 12,
    },
    ...extra,
  }) as ScenesConfig;
}

function checkpointWithoutClock(dir: string): unknown {
  const c = loadTrainingCheckpoint(join(dir, 'checkpoint.safetensors')) as unknown as Record<string, unknown>;
  const trainer = c.trainer as Record<string, unknown>;
  const history = (trainer.history as Record<string, unknown>[]).map(({ seconds: _s, ...rest }) => rest);
  const { seconds: _t, ...trainerRest } = trainer;
  const tensors = c.tensors ?? c.model;
  return { ...c, trainer: { ...trainerRest, history }, tensors };
}

describe('scenes task', () => {
  it('a run killed mid-epoch and resumed ends bit-identical to an uninterrupted one', () => {
    const config = tinyScenesConfig();
    const data = loadScenesData(config);
    const straight = tempDir('scenes-straight');
    const r1 = runTraining(scenesTask, config, data, { outDir: straight, ...quiet });
    expect(r1.trainer.step).toBe(8);
    for (const stopAt of [3, 5]) {
      const killed = tempDir(`scenes-killed-${stopAt}`);
      expect(() => runTraining(scenesTask, config, data, { outDir: killed, ...quiet, stopAfterStep: stopAt })).toThrow(
        TrainingInterrupted,
      );
      const r2 = runTraining(scenesTask, config, data, { outDir: killed, ...quiet, resume: true });
      expect(r2.trainer.step).toBe(r1.trainer.step);
      expect(readFileSync(join(killed, 'model.safetensors'))).toEqual(
        readFileSync(join(straight, 'model.safetensors')),
      );
      expect(checkpointWithoutClock(killed)).toEqual(checkpointWithoutClock(straight));
    }
    const model = loadModelDir(straight);
    expect(model).toBeInstanceOf(SceneCaptioner);
    const config2 = JSON.parse(readFileSync(join(straight, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config2).toMatchObject({ kind: 'scene-captioner', package: '@recurrent/vision' });
    const metrics = JSON.parse(readFileSync(join(straight, 'metrics.json'), 'utf8')) as { valid: object };
    expect(Object.keys(metrics.valid).sort()).toEqual(['bleu4', 'exact_match', 'pointing']);
  });

  it('the loss falls on a few repeated batches (the pipeline learns)', () => {
    const config = tinyScenesConfig({ trainScenes: 6, epochs: 40, evalEvery: 0, checkpointEvery: 0 });
    const result = runTraining(scenesTask, config, loadScenesData(config), { outDir: tempDir('scenes-fit'), ...quiet });
    const losses = result.trainer.history.map((h) => h.trainLoss as number);
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
  });

  it('saved models caption scenes with a word probability and an attention map per word', () => {
    const config = tinyScenesConfig({ epochs: 1 });
    const dir = tempDir('scenes-caption');
    runTraining(scenesTask, config, loadScenesData(config), { outDir: dir, ...quiet });
    const model = loadModelDir(dir) as SceneCaptioner;
    const scene = sceneSplit('test', 1, { size: 32 })[0]!;
    const [[greedy], beam] = [
      model.caption([{ data: scene.rgba, width: 32, height: 32 }])[0]!,
      model.caption([{ data: scene.rgba, width: 32, height: 32 }], { beamSize: 3, nBest: 3 })[0]!,
    ];
    expect(greedy!.attention.length).toBe(greedy!.probabilities.length);
    for (const map of greedy!.attention) expect(map.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(greedy!.grid).toEqual([16, 16]);
    expect(beam.length).toBe(3);
  });
});

const hasCocoMini = (() => {
  try {
    return readCocoMini().length > 0;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasCocoMini)('coco task', () => {
  it('pretrains on Multi30k captions, then fits photos over cached detector features; saves a model', async () => {
    const task = findTrainingTask('coco');
    const config = resolveTrainingConfig(task as never, {
      trainImages: 4,
      validImages: 2,
      lmCaptions: 64,
      lmEpochs: 1,
      epochs: 3,
      batchSize: 16,
      checkpointEvery: 0,
      architecture: { grid: 'grid10', embDim: 8, hiddenSize: 16, dropout: 0, maxLength: 8 },
    }) as CocoConfig;
    await decodePhotos(readCocoMini({ split: 'train' }).slice(0, 4));
    const data = loadCocoData(config, {});
    expect(data.lm.length).toBeGreaterThan(28000);
    expect(data.train.length).toBe(2);
    expect(data.train[0]!.features.grid.shape).toEqual([1, 1280, 10, 10]);
    const run = cocoTask.build(config, data, { outDir: tempDir('coco-build'), resuming: false, log: () => {} });
    expect(run.epochBatches(0).map((b) => b.kind)).toEqual(['lm', 'lm', 'lm', 'lm']);
    expect(new Set(run.epochBatches(1).map((b) => b.kind))).toEqual(new Set(['photo']));
    const dir = tempDir('coco');
    const r = runTraining(cocoTask, config, data, { outDir: dir, ...quiet });
    expect(r.trainer.history.map((h) => Object.keys(h.metrics).sort())[0]).toEqual(['bleu4', 'cider']);
    const model = loadModelDir(dir);
    expect(model).toBeInstanceOf(CocoCaptioner);
    expect((model as CocoCaptioner).vocabulary.words).toEqual(data.vocabulary.words);
  }, 120_000);
});
