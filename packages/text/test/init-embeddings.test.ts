import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ClassifierTrainConfig } from '../src/training/config.js';
import { trainClassifier } from '../src/training/classifier-trainer.js';
import { initEmbeddingsFrom, initFromModel } from '../src/training/init-embeddings.js';
import { loadModelDir, saveModelDir } from '../src/models/model-files.js';
import { SentimentClassifier } from '../src/models/sentiment-classifier.js';
import { WordTokenizer } from '../src/tokenizers/word.js';
import { CharTokenizer } from '../src/tokenizers/char.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-text-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sourceModel(dir: string, embeddingDim = 4): SentimentClassifier {
  const tok = WordTokenizer.fromTexts(['good film', 'bad film', 'dull plot']);
  const m = new SentimentClassifier(tok, { embeddingDim, hiddenSize: 3 }, { seed: 7 });
  saveModelDir(dir, m);
  return m;
}

const row = (m: SentimentClassifier, word: string): number[] => {
  const id = m.tokenizer.encode(word)[0]!;
  const d = m.embedding.weight.shape[1]!;
  return Array.from(m.embedding.weight.data.subarray(id * d, (id + 1) * d));
};

describe('initEmbeddingsFrom', () => {
  it('copies the vectors of shared words and leaves the others and the special tokens fresh', () => {
    const dir = join(root, 'src');
    const src = sourceModel(dir);
    const target = new SentimentClassifier(
      WordTokenizer.fromTexts(['good acting', 'bad acting', 'film']),
      { embeddingDim: 4, hiddenSize: 3 },
      { seed: 1 },
    );
    const before = Array.from(target.embedding.weight.data);
    const r = initEmbeddingsFrom(target, dir);
    expect(r).toEqual({ copied: 3, words: 4 }); // good, bad, film shared; acting not
    for (const w of ['good', 'bad', 'film']) expect(row(target, w)).toEqual(row(src, w));
    expect(row(target, 'acting')).not.toEqual(row(src, 'film'));
    const d = 4;
    const acting = target.tokenizer.encode('acting')[0]!;
    expect(Array.from(target.embedding.weight.data.subarray(acting * d, acting * d + d))).toEqual(
      before.slice(acting * d, acting * d + d),
    );
    // <pad> <unk> <s> </s>
    expect(Array.from(target.embedding.weight.data.subarray(0, 4 * d))).toEqual(before.slice(0, 4 * d));
  });

  it('names the mismatch: embedding width, tokenizer kind, missing directory', () => {
    const dir = join(root, 'wide');
    sourceModel(dir, 6);
    const target = new SentimentClassifier(WordTokenizer.fromTexts(['good']), { embeddingDim: 4, hiddenSize: 3 });
    expect(() => initEmbeddingsFrom(target, dir)).toThrow(
      /6-dimensional embeddings, this model 4 \(set --embedding-dim 6\)/,
    );
    const charTarget = { embedding: target.embedding, tokenizer: CharTokenizer.fromText('abc') };
    expect(() => initEmbeddingsFrom(charTarget, dir)).toThrow(/char tokenizer/);
    expect(() => initEmbeddingsFrom(target, join(root, 'nope'))).toThrow(/missing/);
  });

  it('a training run with initEmbeddings starts from the source vectors and records the option', () => {
    const dir = join(root, 'src2');
    const src = sourceModel(dir);
    const config = resolveConfig('sst2', {
      batchSize: 2,
      epochs: 1,
      maxSteps: 1,
      checkpointEvery: 0,
      initEmbeddings: dir,
      architecture: { embeddingDim: 4, hiddenSize: 3 },
    }) as ClassifierTrainConfig;
    const data = {
      train: [
        { text: 'good film', label: 1 },
        { text: 'dull film', label: 0 },
      ],
      valid: [{ text: 'good', label: 1 }],
    };
    const logs: string[] = [];
    const out = join(root, 'run');
    trainClassifier({ ...config, lr: 1e-9 }, data, { outDir: out, log: (m) => void logs.push(m), progress: null });
    expect(logs.join('\n')).toMatch(/embeddings: 3 of 3 words initialised from/);
    const trained = loadModelDir(out) as SentimentClassifier;
    for (const w of ['good', 'film', 'dull'])
      row(trained, w).forEach((v, i) => {
        expect(v).toBeCloseTo(row(src, w)[i]!, 5);
      });
  });

  it('initFromModel also copies every parameter with the same name and shape, and skips the rest', () => {
    const dir = join(root, 'full');
    const src = sourceModel(dir);
    const tok = WordTokenizer.fromTexts(['good acting']);
    const same = new SentimentClassifier(tok, { embeddingDim: 4, hiddenSize: 3 }, { seed: 2 });
    const r = initFromModel(same, dir);
    expect(r.copied).toBe(1);
    expect(r.parameters).toContain('rnn.weight_hh_l0_reverse');
    expect(r.parameters).toContain('head.weight');
    expect(Array.from(same.rnn.namedParameters()).map(([, p]) => Array.from(p.data))).toEqual(
      Array.from(src.rnn.namedParameters()).map(([, p]) => Array.from(p.data)),
    );
    const wider = new SentimentClassifier(tok, { embeddingDim: 4, hiddenSize: 5 }, { seed: 2 });
    const before = Array.from(wider.head.weight.data);
    expect(initFromModel(wider, dir).parameters).toEqual(['head.bias']); // [1] in both; the weights differ in shape
    expect(Array.from(wider.head.weight.data)).toEqual(before);
  });

  it('the config refuses initFrom together with initEmbeddings', () => {
    expect(() => resolveConfig('sst2', { initFrom: 'a', initEmbeddings: 'b' })).toThrow(/not both/);
  });
});
