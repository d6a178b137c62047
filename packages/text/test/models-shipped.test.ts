import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasm } from '@recurrent/core';
import { loadModelDir } from '../src/models/model-files.js';
import { SentimentClassifier } from '../src/models/sentiment-classifier.js';
import { LanguageModel } from '../src/models/language-model.js';
import { findDataDir, loadModelDir as loadAnyModelDir } from '@recurrent/core/node';
import { readSst2Sentences } from '../src/datasets/sst2.js';
import { readImdb } from '../src/datasets/imdb.js';
import { readTinyShakespeareSplits } from '../src/datasets/tinyshakespeare.js';
import { evaluateClassifier } from '../src/training/classifier-trainer.js';
import { corpusIds, evaluateLanguageModel } from '../src/training/lm-trainer.js';

const modelsDir = fileURLToPath(new URL('../models/', import.meta.url));
const haveData = findDataDir() !== null || !!process.env.RECURRENT_DATA;
const SHIPPED = ['sst2', 'charlm', 'wordlm', 'imdb'].filter((n) => existsSync(join(modelsDir, n, 'config.json')));

/** A figure recorded in a shipped model's metrics.json, e.g. recordedMetric('sst2', 'test', 'accuracy'). */
function recordedMetric(name: string, split: string, key: string): number {
  const path = join(modelsDir, name, 'metrics.json');
  const metrics: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const value = (metrics as Record<string, Record<string, unknown> | undefined>)[split]?.[key];
  if (typeof value !== 'number') throw new Error(`${path}: expected a number at ${split}.${key}, got ${String(value)}`);
  return value;
}

describe('shipped models', () => {
  it('the SST-2 model is shipped (the demo depends on it)', () => {
    expect(SHIPPED).toContain('sst2');
  });

  for (const name of SHIPPED) {
    it(`${name}: loads, weights under 10 MB, training command and seed recorded`, () => {
      expect(statSync(join(modelsDir, name, 'model.safetensors')).size).toBeLessThan(10 * 1024 * 1024);
      const config = JSON.parse(readFileSync(join(modelsDir, name, 'config.json'), 'utf8'));
      expect(config.training.command).toMatch(/^recurrent-text train /);
      expect(Number.isInteger(config.training.config.seed)).toBe(true);
      const model = loadModelDir(join(modelsDir, name));
      expect(model).toBeInstanceOf(name === 'sst2' || name === 'imdb' ? SentimentClassifier : LanguageModel);
      // The config has no "package" (saved before it was recorded) and loads through core's generic loader too.
      expect(config.package).toBeUndefined();
      const generic = loadAnyModelDir(join(modelsDir, name));
      expect(generic).toBeInstanceOf(name === 'sst2' || name === 'imdb' ? SentimentClassifier : LanguageModel);
    });
  }

  it.skipIf(!SHIPPED.includes('sst2'))(
    'sst2: clear examples, and the recorded ≥ 85 % on the whole sentence-level test set (data permitting)',
    async () => {
      await initWasm();
      const model = loadModelDir(join(modelsDir, 'sst2')) as SentimentClassifier;
      expect(model.predict('a gorgeous , witty and deeply moving film').label).toBe('positive');
      expect(model.predict('a dull , lifeless and boring mess').label).toBe('negative');
      const recorded = recordedMetric('sst2', 'test', 'accuracy');
      expect(recorded).toBeGreaterThanOrEqual(0.85);
      if (!haveData) return;
      const r = evaluateClassifier(model, readSst2Sentences('test'));
      expect(r.count).toBe(1821);
      expect(r.accuracy).toBeCloseTo(recorded, 6);
    },
  );

  it.skipIf(!SHIPPED.includes('imdb') || !haveData)('imdb: ≥ 80 % on 100 test reviews', async () => {
    await initWasm();
    const model = loadModelDir(join(modelsDir, 'imdb')) as SentimentClassifier;
    const test = readImdb('test', { parts: [1] });
    const sample = [
      ...test.filter((r) => r.label === 1).slice(0, 50),
      ...test.filter((r) => r.label === 0).slice(0, 50),
    ];
    expect(evaluateClassifier(model, sample).accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it.skipIf(!SHIPPED.includes('charlm') || !haveData)(
    'charlm: validation sample within 0.1 nats/char of the recorded figure',
    async () => {
      await initWasm();
      const model = loadModelDir(join(modelsDir, 'charlm')) as LanguageModel;
      const { val } = readTinyShakespeareSplits();
      const ids = corpusIds(model.tokenizer, val.slice(0, 16_001), 'charlm');
      const r = evaluateLanguageModel(model, ids, { batchSize: 16, seqLen: 100 });
      expect(r.nll).toBeLessThan(recordedMetric('charlm', 'valid', 'nll') + 0.1);
      expect(model.generate('ROMEO:', { length: 40, seed: 1 }).text).toHaveLength(40);
    },
  );

  it.skipIf(!SHIPPED.includes('wordlm'))(
    'wordlm: top next words are real words and perplexity is recorded',
    async () => {
      await initWasm();
      const model = loadModelDir(join(modelsDir, 'wordlm')) as LanguageModel;
      const top = model.topK('this movie is one of the', 5);
      expect(top).toHaveLength(5);
      expect(top[0]!.probability).toBeGreaterThan(0.02);
      expect(recordedMetric('wordlm', 'valid', 'perplexity')).toBeGreaterThan(1);
    },
  );
});
