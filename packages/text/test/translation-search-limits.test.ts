import { describe, expect, it } from 'vitest';
import { neverGeneratedIds, outputLengthLimit, Translator } from '../src/index.js';
import { fixtureTokenizer } from './translation-fixture-tokenizer.js';

describe('translation search limits (outputLengthLimit, neverGeneratedIds)', () => {
  it('the length bound is ceil(ratio · source subwords + offset), defaults 1.5 and 10', () => {
    expect(outputLengthLimit(13)).toBe(30);
    expect(outputLengthLimit(7)).toBe(21); // ceil(20.5)
    expect(outputLengthLimit(7, { maxLengthRatio: 1, maxLengthOffset: 2 })).toBe(9);
  });

  it('names <pad>, <s> and <unk>', () => {
    const tok = fixtureTokenizer(12);
    expect(neverGeneratedIds(tok).sort()).toEqual([tok.padId, tok.bosId, tok.unkId].sort());
  });

  it('is the bound translate applies: an untrained model runs to exactly limit − 1 tokens, never beyond', () => {
    const tok = fixtureTokenizer(12);
    const model = new Translator(tok, { embeddingDim: 8, encoderHidden: 8, decoderHidden: 16, attentionSize: 8 });
    const sources = ['abc', 'abcdefg', 'hgfedcbahgfedcba'];
    const options = { method: 'greedy' as const, noRepeatNgram: 0, maxLengthRatio: 0.5, maxLengthOffset: 2 };
    let reached = 0;
    for (const r of model.translateBatch(sources, options)) {
      const limit = outputLengthLimit(r.source.ids.length, options);
      expect(r.ids.length).toBeLessThanOrEqual(limit - 1);
      if (r.ids.length === limit - 1 && !r.finished) reached++;
      for (const id of neverGeneratedIds(tok)) expect(r.ids).not.toContain(id);
    }
    expect(reached).toBeGreaterThan(0);
  });
});
