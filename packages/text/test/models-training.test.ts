import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ClassifierTrainConfig, type LanguageModelTrainConfig } from '../src/training/config.js';
import { trainClassifier } from '../src/training/classifier-trainer.js';
import { trainLanguageModel } from '../src/training/lm-trainer.js';
import { loadCheckpoint } from '../src/training/checkpoint.js';
import { NonFiniteLossError, TrainingInterrupted } from '../src/training/loop.js';
import { loadModelDir } from '../src/models/model-files.js';
import { SentimentClassifier } from '../src/models/sentiment-classifier.js';
import { loadSafetensorsFile, saveSafetensorsFile } from '@recurrent/core/node';

const root = mkdtempSync(join(tmpdir(), 'recurrent-text-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`);
const quiet = { log: () => {}, progress: null };

const POS = [
  'a great film',
  'wonderful acting',
  'great , moving story',
  'a wonderful film',
  'moving and great',
  'truly wonderful',
];
const NEG = [
  'a terrible film',
  'boring acting',
  'dull , boring story',
  'a terrible mess',
  'boring and dull',
  'truly terrible',
];
const data = {
  train: [...POS.map((text) => ({ text, label: 1 })), ...NEG.map((text) => ({ text, label: 0 }))],
  valid: [
    { text: 'great story', label: 1 },
    { text: 'terrible story', label: 0 },
    { text: 'wonderful mess', label: 1 },
  ],
};

function classifierConfig(extra: Record<string, unknown> = {}): ClassifierTrainConfig {
  return resolveConfig('sst2', {
    batchSize: 3,
    epochs: 3,
    patience: 0,
    checkpointEvery: 3,
    lr: 0.01,
    architecture: {
      embeddingDim: 6,
      hiddenSize: 5,
      dropout: 0.3,
      embeddingDropout: 0.2,
      pooling: 'attention',
      attentionSize: 4,
    },
    ...extra,
  }) as ClassifierTrainConfig;
}

function finalWeights(dir: string): Record<string, number[]> {
  const c = loadCheckpoint(join(dir, 'checkpoint.safetensors'));
  return Object.fromEntries(Object.entries(c.model).map(([k, t]) => [k, Array.from(t.data)]));
}

describe('classifier training', () => {
  it('a run resumed after a kill ends with bit-identical weights, optimizer position and best model', () => {
    const config = classifierConfig();
    const straight = fresh();
    const r1 = trainClassifier(config, data, { outDir: straight, ...quiet });
    expect(r1.trainer.step).toBe(12);
    expect(r1.trainer.history).toHaveLength(3);

    for (const stopAt of [5, 8]) {
      const killed = fresh();
      expect(() => trainClassifier(config, data, { outDir: killed, ...quiet, stopAfterStep: stopAt })).toThrow(
        TrainingInterrupted,
      );
      expect(loadCheckpoint(join(killed, 'checkpoint.safetensors')).trainer.step).toBe(stopAt);
      expect(() => trainClassifier(config, data, { outDir: killed, ...quiet })).toThrow(/already holds a training run/);
      const r2 = trainClassifier(config, data, { outDir: killed, ...quiet, resume: true });
      expect(r2.trainer.step).toBe(12);
      expect(finalWeights(killed)).toEqual(finalWeights(straight));
      expect(r2.trainer.history.map((h) => h.metrics)).toEqual(r1.trainer.history.map((h) => h.metrics));
      expect(readFileSync(join(killed, 'model.safetensors'))).toEqual(
        readFileSync(join(straight, 'model.safetensors')),
      );
    }
  });

  it('resumes a checkpoint written before the shared runner (format recurrent-text-checkpoint, one rng state)', () => {
    const config = classifierConfig();
    const straight = fresh();
    trainClassifier(config, data, { outDir: straight, ...quiet });
    const killed = fresh();
    const kill = () => trainClassifier(config, data, { outDir: killed, ...quiet, stopAfterStep: 5 });
    expect(kill).toThrow(TrainingInterrupted);
    const path = join(killed, 'checkpoint.safetensors');
    const { tensors, metadata } = loadSafetensorsFile(path);
    const { generators: _, ...oldTrainer } = JSON.parse(metadata.trainer!);
    const { task: __, ...oldMetadata } = metadata;
    const legacy = { ...oldMetadata, format: 'recurrent-text-checkpoint', trainer: JSON.stringify(oldTrainer) };
    saveSafetensorsFile(path, tensors, legacy);
    trainClassifier(config, data, { outDir: killed, ...quiet, resume: true });
    expect(finalWeights(killed)).toEqual(finalWeights(straight));
  });

  it('saves a loadable best model with config and metrics; early stopping; a finished run resumes as a no-op', () => {
    const dir = fresh();
    const r = trainClassifier(classifierConfig({ epochs: 30, patience: 2, lr: 0.05 }), data, {
      outDir: dir,
      ...quiet,
      command: 'test',
    });
    expect(r.trainer.history.length).toBeLessThan(30);
    const model = loadModelDir(dir);
    expect(model).toBeInstanceOf(SentimentClassifier);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.training.command).toBe('test');
    expect(config.training.config.seed).toBe(1234);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.valid.accuracy).toBe(r.trainer.best!.metrics.accuracy);
    const again = trainClassifier(classifierConfig(), data, { outDir: dir, ...quiet, resume: true });
    expect(again.trainer.step).toBe(r.trainer.step);
  });

  it('stops with a clear error on a non-finite loss and keeps the last good checkpoint', () => {
    const dir = fresh();
    const config = classifierConfig({ optimizer: 'sgd', lr: 1e38, clip: 0, checkpointEvery: 1, epochs: 5 });
    let error: unknown;
    try {
      trainClassifier(config, data, { outDir: dir, ...quiet });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/(loss|weight|gradient norm) .*(NaN|Infinity)|became|is (NaN|Infinity)/);
    if (existsSync(join(dir, 'checkpoint.safetensors'))) {
      const c = loadCheckpoint(join(dir, 'checkpoint.safetensors'));
      for (const t of Object.values(c.model)) expect(t.data.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('language-model training', () => {
  const text = 'to be or not to be, that is the question.\n'.repeat(12);
  const corpus = { train: text, valid: text.slice(0, 200), all: text, description: 'tiny' };
  const config = (extra: Record<string, unknown> = {}): LanguageModelTrainConfig =>
    resolveConfig('charlm', {
      batchSize: 2,
      seqLen: 8,
      epochs: 2,
      evalEvery: 10,
      checkpointEvery: 4,
      patience: 0,
      lrDecay: 0.5,
      architecture: { embeddingDim: 5, hiddenSize: 8, numLayers: 2, dropout: 0.2 },
      ...extra,
    }) as LanguageModelTrainConfig;

  it('resumes mid-epoch (carried state, dropout generator, lr decay) to bit-identical weights', () => {
    const straight = fresh();
    const r1 = trainLanguageModel(config(), corpus, { outDir: straight, ...quiet });
    expect(r1.trainer.step).toBeGreaterThan(40);
    const killed = fresh();
    expect(() => trainLanguageModel(config(), corpus, { outDir: killed, ...quiet, stopAfterStep: 13 })).toThrow(
      TrainingInterrupted,
    );
    expect(loadCheckpoint(join(killed, 'checkpoint.safetensors')).carried).not.toBeNull();
    const r2 = trainLanguageModel(config(), corpus, { outDir: killed, ...quiet, resume: true });
    expect(r2.trainer.step).toBe(r1.trainer.step);
    expect(finalWeights(killed)).toEqual(finalWeights(straight));
    expect(r2.trainer.history).toEqual(
      r1.trainer.history.map((h, i) => ({ ...h, seconds: r2.trainer.history[i]!.seconds })),
    );
  });

  it('learns: validation nats per character fall, and the saved model generates', () => {
    const dir = fresh();
    const r = trainLanguageModel(
      config({ epochs: 6, lr: 0.01, architecture: { embeddingDim: 8, hiddenSize: 24, numLayers: 1, dropout: 0 } }),
      corpus,
      { outDir: dir, ...quiet },
    );
    const nll = r.trainer.history.map((h) => h.metrics.nll!);
    expect(Math.min(...nll)).toBeLessThan(nll[0]! * 0.8);
    const model = loadModelDir(dir);
    expect('generate' in model && model.generate('to be', { length: 10, seed: 1 }).text).toHaveLength(10);
  });
});
