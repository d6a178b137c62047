import { describe, expect, it } from 'vitest';
import { Adam, clipGradNorm, crossEntropy } from '@recurrent/core';
import {
  abcCorpus,
  createFolkModel,
  folkPlayability,
  folkTokenizer,
  generatedTuneToNoteSequence,
  generateTunes,
  splitAbcTunes,
} from '../src/index.js';
import { readIrishAbc } from '../src/node.js';

describe('the folk-tune model (text’s character LanguageModel on ABC)', () => {
  const tunes = splitAbcTunes(readIrishAbc());

  it('the corpus is the tunes with a blank line between; its vocabulary is the file’s 83 characters', () => {
    const corpus = abcCorpus(tunes.slice(0, 2));
    expect(corpus).toBe(`${tunes[0]}\n${tunes[1]}`);
    expect(folkTokenizer(tunes).vocabSize).toBe(83);
  });

  it('generateTunes: starts from the primer, stops at a blank line, is seeded', () => {
    const model = createFolkModel(folkTokenizer(tunes), { embeddingDim: 8, hiddenSize: 16, numLayers: 1, dropout: 0 });
    const a = generateTunes(model, { count: 3, maxLength: 200, seed: 5 });
    expect(a.length).toBe(3);
    for (const t of a) {
      expect(t.startsWith('X:1\n')).toBe(true);
      expect(t.includes('\n\n')).toBe(false);
    }
    expect(generateTunes(model, { count: 3, maxLength: 200, seed: 5 })).toEqual(a);
    // an untrained model writes noise: the share that parses and plays is (about) zero
    expect(folkPlayability(model, { count: 5, maxLength: 200 }).share).toBeLessThan(0.5);
  });

  it('a tiny model that has learnt one tune writes it back, and the text parses to notes', () => {
    const tune = tunes[3]!; // Blackbird
    const tokenizer = folkTokenizer(tunes);
    const model = createFolkModel(
      tokenizer,
      { embeddingDim: 16, hiddenSize: 96, numLayers: 1, dropout: 0 },
      { seed: 0 },
    );
    const ids = [...tokenizer.encode('\n'), ...tokenizer.encode(`${tune}\n`)];
    const inputs = ids.slice(0, -1);
    const targets = ids.slice(1);
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    let loss = Infinity;
    for (let step = 0; step < 150; step++) {
      const { logits } = model.forward(inputs, 1, inputs.length);
      const l = crossEntropy(logits.reshape([inputs.length, tokenizer.vocabSize]), targets);
      loss = l.data[0]!;
      l.backward();
      clipGradNorm(model.parameters(), 1);
      optimizer.step();
      optimizer.zeroGrad();
    }
    expect(loss).toBeLessThan(0.1);
    const result = folkPlayability(model, { count: 2, temperature: 0.3, maxLength: tune.length + 20 });
    expect(result.share).toBe(1);
    const seq = generatedTuneToNoteSequence(result.tunes[0]!);
    expect(seq.title).toBe('Blackbird');
    expect(seq.notes.length).toBeGreaterThan(100);
  });
});
