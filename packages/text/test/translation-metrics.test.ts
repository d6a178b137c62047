import { describe, expect, it } from 'vitest';
import { ValueError } from '@recurrent/core';
import { corpusBleu, corpusChrf, scoreTranslations, tokenize13a, tokenizeAnchor } from '../src/index.js';

// sacrebleu is not installed here (no PyPI): the expected values are sacrebleu's README example (2.x, printed by
// `BLEU().corpus_score(sys, refs)` and `CHRF().corpus_score(sys, refs)`) and hand computations from the definitions.
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const sys = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpus BLEU (sacrebleu definition)', () => {
  it("sacrebleu's README example: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943, 17/18 tokens), 13a, 2 refs", () => {
    const r = corpusBleu(
      sys.map(tokenize13a),
      refs.map((s) => s.map(tokenize13a)),
    );
    expect(r.score.toFixed(2)).toBe('48.53');
    expect(r.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
    expect(r.brevityPenalty.toFixed(3)).toBe('0.943');
    expect([r.hypothesisLength, r.referenceLength]).toEqual([17, 18]);
  });

  it('worked example: "the cat sat on the mat" vs "the cat is on the mat" — 5/6, 3/5, 1/4, 0/3 → 1/(2·3)', () => {
    const r = corpusBleu(['the cat sat on the mat'], [['the cat is on the mat']]);
    expect(r.matches).toEqual([5, 3, 1, 0]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    const expected = ((500 / 6) * 60 * 25 * (100 / 6)) ** 0.25;
    expect(r.score).toBeCloseTo(expected, 10);
    expect(r.score).toBeCloseTo(37.99, 2);
    const none = corpusBleu(['the cat sat on the mat'], [['the cat is on the mat']], { smoothing: 'none' });
    expect(none.score).toBeLessThan(1e-100);
  });

  it('brevity penalty exp(1 − r/c) when the output is shorter, none when longer; empty output scores 0', () => {
    const short = corpusBleu(['a b c d'], [['a b c d e f']]);
    expect(short.brevityPenalty).toBeCloseTo(Math.exp(1 - 6 / 4), 12);
    expect(short.score).toBeCloseTo(100 * Math.exp(1 - 6 / 4), 10);
    expect(corpusBleu(['a b c d e f g'], [['a b c d e f']]).brevityPenalty).toBe(1);
    expect(corpusBleu([''], [['a b c d']]).score).toBe(0);
  });

  it('rejects misaligned references', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(ValueError);
    expect(() => corpusBleu(['a'], [])).toThrow(/at least one reference/);
  });
});

describe('tokenisations', () => {
  it("anchor convention: lowercase, Python's \\w+|[^\\w\\s] (Unicode letters and digits, marks split off)", () => {
    expect(tokenizeAnchor("Ein Mann, der's mag!")).toBe("ein mann , der ' s mag !");
    expect(tokenizeAnchor('Zwei Männer über der Straße.')).toBe('zwei männer über der straße .');
    expect(tokenizeAnchor('Un garçon—d’âge 12½ ans…')).toBe('un garçon — d ’ âge 12½ ans …');
    expect(tokenizeAnchor('snake_case x2')).toBe('snake_case x2');
  });

  it('13a: punctuation and symbols split off, periods/commas kept inside numbers, apostrophes kept', () => {
    expect(tokenize13a("Hello, world! It costs $3.50, isn't it?")).toBe("Hello , world ! It costs $ 3.50 , isn't it ?");
    expect(tokenize13a('A 5-year-old (boy) &amp; a dog.')).toBe('A 5 - year-old ( boy ) & a dog .');
  });
});

describe('chrF (sacrebleu CHRF defaults: chrF2, char n = 6)', () => {
  it("reproduces sacrebleu's README example: chrF2 = 59.73", () => {
    expect(corpusChrf(sys, refs).toFixed(2)).toBe('59.73');
  });

  it('worked example: "ab" vs "abc" — P = (2/2 + 1/1)/2, R = (2/3 + 1/2)/2, F2 = 5PR/(4P + R) = 63.64', () => {
    expect(corpusChrf(['ab'], [['abc']])).toBeCloseTo((100 * 35) / 55, 10);
    expect(corpusChrf(['a b'], [['ab']])).toBe(100);
  });
});

describe('scoreTranslations', () => {
  it('reports the anchor BLEU (case-insensitive), cased 13a BLEU and chrF', () => {
    const s = scoreTranslations(['A man is running.'], ['a man is running .']);
    expect(s.bleu.score).toBeCloseTo(100, 10);
    expect(s.bleuCased13a.score).toBeLessThan(100);
    expect(s.chrf).toBeLessThan(100);
  });
});
