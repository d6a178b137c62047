import { describe, expect, it } from 'vitest';
import { initWasm, ValueError } from '@recurrent/core';
import { CharTokenizer } from '../src/tokenizers/char.js';
import { WordTokenizer } from '../src/tokenizers/word.js';
import type { Tokenizer } from '../src/tokenizers/tokenizer.js';
import { LanguageModel, type GenerateOptions } from '../src/models/language-model.js';

// Untrained models: their samples are varied, so stop strings turn up at many positions.
const chars = CharTokenizer.fromText('abcd \n');
const words = WordTokenizer.fromTexts(['the cat sat on the mat', 'a dog ran to the cat']);

function model(tokenizer: Tokenizer, cell: 'lstm' | 'gru', startId: number): LanguageModel {
  return new LanguageModel(
    tokenizer,
    { embeddingDim: 8, hiddenSize: 16, numLayers: 1, dropout: 0, cell, startIds: [startId] },
    { seed: 7 },
  );
}
const charLstm = model(chars, 'lstm', chars.tokenToId('\n') ?? -1);
const charGru = model(chars, 'gru', chars.tokenToId('\n') ?? -1);
const wordLstm = model(words, 'lstm', words.bosId);

/**
 * Where the first match of any stop string ends, counted in generated ids, in a run without stop strings: the text is
 * the decoded prefix and continuation, and a match must end in the continuation (computed here by plain search over
 * whole decodes, independently of the generator's incremental matcher).
 */
function firstStopInRun(lm: LanguageModel, prefix: string, ids: readonly number[], stops: readonly string[]) {
  const prefixIds = lm.encodePrefix(prefix).ids;
  for (let n = 1; n <= ids.length; n++) {
    const full = lm.tokenizer.decode([...prefixIds, ...ids.slice(0, n)]);
    const newFrom = lm.tokenizer.decode([...prefixIds, ...ids.slice(0, n - 1)]).length;
    let best: { stop: string; end: number } | null = null;
    for (const stop of stops) {
      const at = full.indexOf(stop, Math.max(0, newFrom - stop.length + 1));
      if (at >= 0 && (best === null || at + stop.length < best.end)) best = { stop, end: at + stop.length };
    }
    if (best) return { tokens: n, stop: best.stop };
  }
  return null;
}

function expectPrefixOfRun(lm: LanguageModel, prefix: string, stops: readonly string[], options: GenerateOptions) {
  const free = lm.generate(prefix, options);
  expect(free.finishReason).toBe('length');
  const stopped = lm.generate(prefix, { ...options, stop: stops });
  const want = firstStopInRun(lm, prefix, free.ids, stops);
  if (want === null) {
    expect(stopped).toEqual(free);
    return null;
  }
  expect(stopped.ids).toEqual(free.ids.slice(0, want.tokens));
  expect(stopped.text).toBe(lm.tokenizer.decode(free.ids.slice(0, want.tokens)));
  expect(stopped.finishReason).toBe('stop');
  expect(stopped.stopString).toBe(want.stop);
  return { stopped, free, tokens: want.tokens };
}

describe('LanguageModel.generate: stop strings and progress', () => {
  it('with a stop string, a seed gives exactly the prefix of its run without it, up to the first match', async () => {
    await initWasm();
    let matched = 0;
    for (const lm of [charLstm, charGru]) {
      for (let seed = 0; seed < 6; seed++) {
        const options = { length: 120, seed, temperature: 1.3 };
        const free = lm.generate('ab', options);
        // a stop string the run produces somewhere after its first tokens, so it stops early
        const stop = free.text.slice(40 + seed, 42 + seed);
        const got = expectPrefixOfRun(lm, 'ab', [stop], options);
        expect(got).not.toBeNull();
        if (!got) continue;
        matched++;
        expect(got.tokens).toBeLessThanOrEqual(42 + seed);
        expect(got.stopped.text.endsWith(stop)).toBe(true);
        // the first match: the stop string is nowhere earlier in the text
        expect(`ab${got.stopped.text}`.indexOf(stop)).toBe(got.stopped.text.length + 2 - stop.length);
      }
    }
    expect(matched).toBe(12);
  });

  it('several stop strings: the earliest match wins and is reported; a word model matches across the space', () => {
    const options = { length: 80, seed: 3, temperature: 1.5 };
    const free = charLstm.generate('', options);
    const late = free.text.slice(60, 63);
    const early = free.text.slice(20, 22);
    const got = expectPrefixOfRun(charLstm, '', [late, early], options);
    expect(got?.stopped.stopString).toBe(early);
    // words: the decoded text puts a space between the prefix and the continuation, and between words
    for (let seed = 0; seed < 4; seed++) {
      const wordOptions = { length: 30, seed };
      const run = wordLstm.generate('the cat', wordOptions);
      const firstWord = run.text.split(' ')[0] ?? '';
      const spanning = expectPrefixOfRun(wordLstm, 'the cat', [`cat ${firstWord}`], wordOptions);
      expect(spanning?.tokens).toBe(1);
      const later = run.text.split(' ').slice(4, 6).join(' ');
      expectPrefixOfRun(wordLstm, 'the cat', [later], wordOptions);
    }
  });

  it('a match may span the prefix’s end; one wholly inside the prefix never fires', () => {
    const first = charLstm.generate('cab', { length: 1, topK: 1 }).text;
    const spanning = charLstm.generate('cab', { length: 50, topK: 1, stop: `b${first}` });
    expect(spanning).toMatchObject({ text: first, finishReason: 'stop', stopString: `b${first}` });
    // 'ca' is in the prefix: the run goes on until it writes 'ca' (or reaches its length)
    const options = { length: 100, seed: 1, temperature: 1.3 };
    const inPrefix = charLstm.generate('cab', { ...options, stop: 'ca' });
    expect(inPrefix.ids.length).toBeGreaterThan(1);
    expectPrefixOfRun(charLstm, 'cab', ['ca'], options);
    if (inPrefix.finishReason === 'stop') expect(`b${inPrefix.text}`.indexOf('ca')).toBe(inPrefix.text.length - 1);
  });

  it('a stop string the model never writes runs to length, same as without it', () => {
    const options = { length: 60, seed: 2 };
    const free = charLstm.generate('a', options);
    const never = charLstm.generate('a', { ...options, stop: ['Z', 'abcdabcdabcd'] });
    expect(never).toEqual(free);
    expect(never.finishReason).toBe('length');
    expect(never.ids.length).toBe(60);
    expect(never.stopString).toBeUndefined();
  });

  it('stopId ends with finishReason stop and leaves the id out', () => {
    const free = charLstm.generate('a', { length: 60, seed: 4 });
    const id = free.ids[10] ?? -1;
    const got = charLstm.generate('a', { length: 60, seed: 4, stopId: id });
    expect(got.ids).toEqual(free.ids.slice(0, free.ids.indexOf(id)));
    expect(got.finishReason).toBe('stop');
  });

  it('onToken is told (done, length) after each generated token, the stopping one included', () => {
    const calls: [number, number][] = [];
    const free = charLstm.generate('a', { length: 25, seed: 5, onToken: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual(Array.from({ length: 25 }, (_, i) => [i + 1, 25]));
    calls.length = 0;
    const stopped = charLstm.generate('a', {
      length: 25,
      seed: 5,
      stop: free.text.slice(8, 10),
      onToken: (d, t) => calls.push([d, t]),
    });
    expect(stopped.finishReason).toBe('stop');
    expect(calls).toEqual(Array.from({ length: stopped.ids.length }, (_, i) => [i + 1, 25]));
    calls.length = 0;
    charLstm.generate('a', { length: 0, onToken: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([]);
  });

  it('bad options get a ValueError naming the option', () => {
    const bad = (options: unknown, message: RegExp) => {
      expect(() => charLstm.generate('a', options as GenerateOptions)).toThrow(ValueError);
      expect(() => charLstm.generate('a', options as GenerateOptions)).toThrow(message);
    };
    bad({ stop: '' }, /stop is an empty string/);
    bad({ stop: ['a', ''] }, /stop\[1\] is an empty string/);
    bad({ stop: ['a', 3] }, /stop\[1\] must be a string, got number/);
    bad({ stop: 5 }, /stop must be a string or an array of strings, got number/);
    bad({ onToken: 'progress' }, /onToken must be a function .* got string/);
    expect(charLstm.generate('a', { length: 5, stop: [] }).finishReason).toBe('length');
  });
});
