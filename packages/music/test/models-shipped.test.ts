// The trained models under models/: files, sizes, and that metrics.json says what the weights measure.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelDir } from '@recurrent/core/node';
import { LanguageModel } from '@recurrent/text';
import { nllPerFrame, PianoRollRNN, RnnNade } from '../src/index.js';
import {
  abcNll,
  loadMusicModelDir,
  readAbcData,
  readPianoRollDataset,
  type PianoRollDatasetName,
} from '../src/node.js';

const models = join(dirname(fileURLToPath(import.meta.url)), '..', 'models');
const MAX_BYTES = 5 * 1024 * 1024;

/** The fields of a shipped model's metrics.json these tests compare with what the weights measure. */
interface RecordedMetrics {
  command: string;
  parameters: number;
  seconds: number;
  test: { frames: number; nll_per_frame: number; playable_share: number };
  valid: { nll: number };
}

function metricsOf(dir: string): RecordedMetrics {
  return JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RecordedMetrics;
}

describe('shipped models', () => {
  for (const name of ['jsb', 'jsb-nade', 'nottingham']) {
    const dir = join(models, name);
    const title = `${name}: loads through core's registry, metrics.json test NLL is what it measures`;
    it.skipIf(!existsSync(join(dir, 'config.json')))(title, () => {
      expect(statSync(join(dir, 'model.safetensors')).size).toBeLessThanOrEqual(MAX_BYTES);
      const model = loadModelDir(dir);
      expect(model).toBeInstanceOf(name === 'jsb-nade' ? RnnNade : PianoRollRNN);
      const loaded = loadMusicModelDir(dir);
      if (loaded.family !== 'roll') throw new Error(`${dir} is not a piano-roll model`);
      const metrics = metricsOf(dir);
      expect(metrics.command).toMatch(new RegExp(`^recurrent-music train ${name} `));
      expect(metrics.parameters).toBe(loaded.model.numParameters());
      expect(metrics.seconds).toBeGreaterThan(0);
      const dataset = (loaded.config.training as { config: { dataset: PianoRollDatasetName } }).config.dataset;
      const data = readPianoRollDataset(dataset);
      const test = nllPerFrame(loaded.model, data.test);
      expect(test.frames).toBe(metrics.test.frames);
      expect(test.nllPerFrame).toBeCloseTo(metrics.test.nll_per_frame, 6);
      expect(nllPerFrame(loaded.model, data.valid).nllPerFrame).toBeCloseTo(metrics.valid.nll, 6);
    });
  }

  const abcDir = join(models, 'abc');
  const title = "abc: a text language model whose validation nats/char is metrics.json's";
  it.skipIf(!existsSync(join(abcDir, 'config.json')))(title, () => {
    expect(statSync(join(abcDir, 'model.safetensors')).size).toBeLessThanOrEqual(MAX_BYTES);
    const loaded = loadMusicModelDir(abcDir);
    expect(loaded.family).toBe('folk');
    expect(loaded.model).toBeInstanceOf(LanguageModel);
    const metrics = metricsOf(abcDir);
    expect(metrics.test.playable_share).toBeGreaterThan(0);
    type Recorded = { config: { splitSeed: number; batchSize: number; seqLen: number } };
    const config = (loaded.config.training as Recorded).config;
    const valid = abcNll(loaded.model as LanguageModel, readAbcData(config).valid, config);
    expect(valid.nll).toBeCloseTo(metrics.valid.nll, 6);
  });
});
