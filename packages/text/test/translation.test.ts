import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, clipGradNorm, Generator, noGrad, ValueError } from '@recurrent/core';
import {
  BpeTokenizer,
  SPECIAL_TOKENS,
  checkTranslatorArchitecture,
  DEFAULT_TRANSLATOR_ARCHITECTURE,
  learnJointBpe,
  numbersIn,
  Translator,
  translationLoss,
  type TranslationExample,
} from '../src/index.js';
import { readMulti30k, type SentencePair } from '../src/node.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findDataDir } from '@recurrent/core/node';

const found = findDataDir();
const multi30k = found && existsSync(join(found, 'multi30k')) ? found : null;
if (!multi30k)
  console.warn(
    '[@recurrent/text] skipping the Multi30k tests: no multi30k data folder ' +
      '(set RECURRENT_DATA or place shared/data beside the checkout)',
  );

/** Adam steps on fixed batches; returns the loss before the first and after the last step. */
function train(
  model: Translator,
  batches: () => TranslationExample[],
  steps: number,
  lr: number,
): { first: number; last: number } {
  const optimizer = new Adam(model.parameters(), { lr });
  let first = NaN;
  for (let s = 0; s < steps; s++) {
    const { loss } = translationLoss(model, batches());
    if (s === 0) first = loss.item();
    loss.backward();
    clipGradNorm(model.parameters(), 1);
    optimizer.step();
    optimizer.zeroGrad();
  }
  const last = noGrad(() => {
    model.eval();
    const l = translationLoss(model, batches()).loss.item();
    model.train();
    return l;
  });
  return { first, last };
}

describe('architecture', () => {
  it('validates every field with a message naming it', () => {
    const ok = { ...DEFAULT_TRANSLATOR_ARCHITECTURE, vocabSize: 100 };
    expect(checkTranslatorArchitecture(ok)).toEqual(ok);
    expect(() => checkTranslatorArchitecture({ ...ok, cell: 'rnn' })).toThrow(/cell must be one of gru, lstm/);
    expect(() => checkTranslatorArchitecture({ ...ok, dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => checkTranslatorArchitecture({ ...ok, decoderHidden: 0 })).toThrow(
      /decoderHidden must be an integer ≥ 1/,
    );
    expect(checkTranslatorArchitecture({ ...ok, attention: 'dot' }).attention).toBe('dot');
    expect(() => checkTranslatorArchitecture({ ...ok, attention: 'dot', decoderHidden: 200 })).toThrow(
      /dot attention needs decoderHidden \(200\) equal to .* 256/,
    );
    expect(() => checkTranslatorArchitecture({ ...ok, attention: 'dot', decoderHidden: 200 })).toThrow(ValueError);
    expect(() => checkTranslatorArchitecture({ ...ok, beam: 5 })).toThrow(/unknown key\(s\) beam/);
    expect(() => checkTranslatorArchitecture({ ...ok, decoderStyle: 'gnmt' })).toThrow(
      /decoderStyle must be one of luong, bahdanau/,
    );
    expect(() => checkTranslatorArchitecture({ ...ok, decoderStyle: 'bahdanau', inputFeeding: false })).toThrow(
      /bahdanau decoder always feeds the attention context.*inputFeeding must be true/,
    );
    // Saved before decoder styles existed: a Luong decoder.
    const { decoderStyle: _, ...older } = ok;
    expect(checkTranslatorArchitecture(older).decoderStyle).toBe('luong');
    const tok = new BpeTokenizer([...SPECIAL_TOKENS, 'a', 'b'], []);
    expect(() => new Translator(tok, { vocabSize: 7 })).toThrow(/does not match the tokenizer's 6 tokens/);
  });

  it('tied target embeddings and shared source embeddings remove the output matrix and the source table', () => {
    const tok = new BpeTokenizer([...SPECIAL_TOKENS, ...'abcdefghij'], []);
    const base = { embeddingDim: 8, encoderHidden: 6, decoderHidden: 12, attentionSize: 5 };
    const names = (a: object): string[] => Object.keys(new Translator(tok, { ...base, ...a }).stateDict());
    expect(names({})).toContain('decoder.out.weight');
    expect(names({})).toContain('src_embedding.weight');
    const tied = names({ tieTargetEmbeddings: true, shareEmbeddings: true });
    expect(tied).not.toContain('decoder.out.weight');
    expect(tied).not.toContain('src_embedding.weight');
    expect(tied).toEqual(
      expect.arrayContaining(['decoder.out_proj.weight', 'decoder.out_bias', 'decoder.embedding.weight']),
    );
  });
});

describe.skipIf(!multi30k)('joint BPE', () => {
  let pairs: SentencePair[];
  let tok: BpeTokenizer;
  beforeAll(() => {
    pairs = readMulti30k('train', 'de-en').slice(0, 3000);
    tok = learnJointBpe(
      pairs.flatMap((p) => [p.source, p.target]),
      { vocabSize: 1500 },
    );
  });

  it('reaches the vocabulary size, spells numbers digit by digit and round-trips text', () => {
    expect(tok.vocabSize).toBe(1500);
    const text = 'Ein Mann mit der Nummer 1984 und 7 Hunden, Herr Bartholomowski.';
    const tokens = tok.tokenize(text);
    expect(tokens.filter((t) => /\p{N}/u.test(t))).toEqual(['1', '9', '8', '4', '7']);
    expect(tok.decode(tok.encode(text))).toBe(text);
    for (const d of '0123456789') expect(tok.tokenToId(d)).toBeDefined();
  });

  it('spells a name it never saw in pieces instead of <unk>', () => {
    const text = 'Bartholomew Kowalczyk besucht Samarkand.';
    expect(tok.unknownTokens(text)).toEqual([]);
    expect(tok.encode(text)).not.toContain(tok.unkId);
    expect(tok.tokenize(' Kowalczyk').length).toBeGreaterThan(1);
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.unknownTokens('Ωmega')).toEqual(['Ω']);
  });
});

describe.skipIf(!multi30k).each(['luong', 'bahdanau'] as const)(
  'Translator on Multi30k (%s decoder)',
  (decoderStyle) => {
    let tok: BpeTokenizer;
    let model: Translator;
    let pairs: SentencePair[];
    let fit: { first: number; last: number };
    beforeAll(() => {
      const train8 = readMulti30k('train', 'de-en').slice(0, 2000);
      tok = learnJointBpe(
        train8.flatMap((p) => [p.source, p.target]),
        { vocabSize: 600 },
      );
      pairs = train8.slice(0, 8);
      model = new Translator(
        tok,
        { embeddingDim: 32, encoderHidden: 32, decoderHidden: 64, attentionSize: 32, dropout: 0, decoderStyle },
        { seed: 3 },
      );
      const batch = pairs.map((p) => ({ src: tok.encode(p.source), tgt: tok.encode(p.target) }));
      fit = train(model, () => batch, 40, 1e-2);
    });

    it('overfits 8 real pairs in 40 Adam steps: the loss drops by more than 10×', () => {
      expect(fit.first).toBeGreaterThan(5);
      expect(fit.last * 10).toBeLessThan(fit.first);
    });

    it('results carry tokens, text, attention (rows sum to 1), token probabilities, n-best and timings', () => {
      const r = model.translate(pairs[0]!.source, { beamSize: 4 });
      expect(r.text.length).toBeGreaterThan(0);
      expect(r.text).toBe(tok.decode(r.ids).trim());
      expect(r.tokens).toEqual(r.ids.map((id) => tok.idToToken(id)));
      expect(r.attention.length).toBe(r.ids.length + 1);
      for (const row of r.attention) {
        expect(row.length).toBe(r.source.ids.length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      expect(r.tokenProbabilities.length).toBe(r.ids.length + 1);
      for (const p of r.tokenProbabilities) expect(p > 0 && p <= 1).toBe(true);
      expect(Math.log(r.tokenProbabilities.reduce((a, b) => a * b, 1))).toBeCloseTo(r.logProb, 3);
      expect(r.nBest.length).toBe(4);
      expect(r.nBest[0]!.ids).toEqual(r.ids);
      for (let i = 1; i < r.nBest.length; i++) expect(r.nBest[i - 1]!.score).toBeGreaterThanOrEqual(r.nBest[i]!.score);
      expect(r.timings.decodeMs).toBeGreaterThan(0);
      // Greedy records the probabilities during the search; a teacher-forced pass (as beam search uses) agrees.
      const greedy = model.translate(pairs[2]!.source, { method: 'greedy' });
      const rescored = model.translate(pairs[2]!.source, { method: 'beam', beamSize: 1 });
      expect(greedy.ids).toEqual(rescored.ids);
      greedy.tokenProbabilities.forEach((p, i) => {
        expect(p).toBeCloseTo(rescored.tokenProbabilities[i]!, 5);
      });
      expect(greedy.tokenProbabilities.length).toBe(greedy.ids.length + 1);
      expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.decodeMs);
    });

    it('translates a training sentence it has memorised', () => {
      const r = model.translate(pairs[1]!.source, { method: 'greedy' });
      expect(r.text).toBe(pairs[1]!.target);
    });

    it('beam search with beam 1 equals greedy (any α, both normalisations)', () => {
      for (const p of pairs.slice(0, 4)) {
        const greedy = model.translate(p.source, { method: 'greedy' });
        for (const lengthNormalization of ['gnmt', 'average'] as const) {
          const beam = model.translate(p.source, { method: 'beam', beamSize: 1, alpha: 1, lengthNormalization });
          expect(beam.ids).toEqual(greedy.ids);
          expect(beam.logProb).toBeCloseTo(greedy.logProb, 4);
        }
      }
    });

    it('batch decoding equals one-by-one (greedy, beam 3, sampling with a seed)', () => {
      const texts = [...pairs.slice(0, 5).map((p) => p.source), 'Hund.', 'Ein Mann.'];
      for (const options of [
        { method: 'greedy' as const },
        { method: 'beam' as const, beamSize: 3 },
        { method: 'sample' as const, seed: 5 },
      ]) {
        const batch = model.translateBatch(texts, options);
        texts.forEach((t, i) => {
          const one = model.translate(t, options);
          if (options.method === 'sample') return; // one random stream per batch: rows draw in a different order
          expect(batch[i]!.ids).toEqual(one.ids);
          expect(batch[i]!.score).toBeCloseTo(one.score, 4);
          expect(batch[i]!.nBest.map((h) => h.ids)).toEqual(one.nBest.map((h) => h.ids));
        });
      }
      const a = model.translate(texts[0]!, { method: 'sample', seed: 9, temperature: 1.5 });
      const b = model.translate(texts[0]!, { method: 'sample', seed: 9, temperature: 1.5 });
      expect(a.ids).toEqual(b.ids);
    });

    it('bad input gets a translation or a clear error: empty, 2,000 words, non-Latin, control characters', () => {
      const [empty, blank] = model.translateBatch(['', '  \t ']);
      expect(empty!.text).toBe('');
      expect(blank!.text).toBe('');
      const long = Array.from({ length: 2000 }, (_, i) => pairs[i % 8]!.source.split(' ')[i % 5] ?? 'Mann').join(' ');
      const r = model.translate(long, { method: 'greedy', maxSourceTokens: 120 });
      expect(r.source.truncated).toBe(true);
      expect(r.source.ids.length).toBe(120);
      expect(r.ids.length).toBeLessThanOrEqual(Math.ceil(1.5 * 120 + 10));
      const cjk = model.translate('一个男人在街上跑步。', { method: 'greedy' });
      expect(cjk.source.unknown.length).toBeGreaterThan(0);
      expect(typeof cjk.text).toBe('string');
      const control = model.translate(`Ein\u0000 Mann\u0007 läuft.\u001b`, { method: 'greedy' });
      expect(control.source.text).toBe('Ein Mann läuft.');
      expect(() => model.translate('x', { beamSize: 0 })).toThrow(/beamSize must be an integer ≥ 1/);
      expect(() => model.translate('x', { method: 'greedy', nBest: 2 })).toThrow(/nBest > 1 needs method 'beam'/);
    });

    it('never loops: no 4-gram of subwords repeats, and the output stays within the length bound', () => {
      const untrained = new Translator(
        tok,
        { embeddingDim: 16, encoderHidden: 16, decoderHidden: 32, attentionSize: 16 },
        { seed: 1 },
      );
      for (const r of untrained.translateBatch(
        pairs.map((p) => p.source),
        { beamSize: 3 },
      )) {
        const seen = new Set<string>();
        for (let i = 0; i + 4 <= r.ids.length; i++) {
          const key = r.ids.slice(i, i + 4).join(',');
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
        expect(r.ids.length + 1).toBeLessThanOrEqual(Math.ceil(1.5 * r.source.ids.length + 10));
      }
    });
  },
);

describe('numbers are copied', () => {
  it('a tiny model trained 70 steps to copy reproduces the numbers of the source with the number guard', () => {
    const tok = new BpeTokenizer([...SPECIAL_TOKENS, ' ', ...'0123456789', ...'abcdef'], []);
    const gen = new Generator(1);
    const pick = (s: string): string => s[Math.floor(gen.random() * s.length)]!;
    const sentence = (): string =>
      Array.from({ length: 2 + Math.floor(gen.random() * 3) }, (_, i) =>
        Array.from({ length: 1 + Math.floor(gen.random() * 3) }, () =>
          pick(i % 2 === 0 ? '0123456789' : 'abcdef'),
        ).join(''),
      ).join(' ');
    const model = new Translator(
      tok,
      { embeddingDim: 16, encoderHidden: 24, decoderHidden: 48, attentionSize: 24, dropout: 0 },
      { seed: 1 },
    );
    const batch = (): TranslationExample[] =>
      Array.from({ length: 32 }, () => {
        const ids = tok.encode(sentence());
        return { src: ids, tgt: ids };
      });
    train(model, batch, 70, 1e-2);
    const tests = Array.from({ length: 20 }, sentence);
    const same = (copyNumbers: boolean): number =>
      model
        .translateBatch(tests, { method: 'greedy', copyNumbers })
        .filter((r, i) => JSON.stringify(numbersIn(r.text)) === JSON.stringify(numbersIn(tests[i]!))).length;
    const guarded = model.translateBatch(tests, { method: 'greedy' });
    guarded.forEach((r, i) => {
      for (const n of numbersIn(r.text)) expect(numbersIn(tests[i]!)).toContain(n);
    });
    const withGuard = same(true);
    expect(withGuard).toBeGreaterThanOrEqual(17);
    expect(withGuard).toBeGreaterThanOrEqual(same(false));
  });
});
