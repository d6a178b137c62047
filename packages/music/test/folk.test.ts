import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Adam, clipGradNorm, crossEntropy } from '@recurrent/core';
import { LanguageModel } from '@recurrent/text';
import {
  abcCorpus,
  createFolkModel,
  folkPlayability,
  folkTokenizer,
  generatedTuneToNoteSequence,
  generateTunes,
  splitAbcTunes,
} from '../src/index.js';
import { loadMusicModelDir, readIrishAbc } from '../src/node.js';

const shippedAbc = join(dirname(fileURLToPath(import.meta.url)), '..', 'models', 'abc');

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

  it('generateTunes stops at the blank line: the shipped model writes what sampling maxLength and cutting did', () => {
    const model = loadMusicModelDir(shippedAbc).model;
    if (!(model instanceof LanguageModel)) throw new Error(`${shippedAbc} does not hold a language model`);
    const primer = 'X:1\n';
    const maxLength = 320;
    const count = 8;
    const seed = 0;
    const calls: number[][] = [[]];
    const tunes = generateTunes(model, {
      count,
      maxLength,
      seed,
      primer,
      onToken: (done, total) => {
        expect(total).toBe(maxLength);
        calls.at(-1)?.push(done);
      },
      progress: () => calls.push([]),
    });
    let ended = 0;
    for (let i = 0; i < count; i++) {
      // the old semantics: maxLength characters, then cut at the first blank line from the primer's last character
      const full = primer + model.generate(primer, { length: maxLength, seed: seed + i }).text;
      const end = full.indexOf('\n\n', primer.length - 1);
      expect(tunes[i]).toBe(end >= 0 ? full.slice(0, end + 1) : full);
      // it wrote the tune and the blank line's two newlines (primer excluded), one onToken call per character
      const written = end >= 0 ? end + 2 - primer.length : maxLength;
      expect(calls[i]).toEqual(Array.from({ length: written }, (_, k) => k + 1));
      if (end >= 0) ended++;
    }
    // seeds 0..7 at 320 characters: most tunes end early, at least one runs to maxLength
    expect(ended).toBeGreaterThan(count / 2);
    expect(ended).toBeLessThan(count);
  });
});
