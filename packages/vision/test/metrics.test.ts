import { describe, expect, it } from 'vitest';
import {
  captionScene,
  ciderD,
  corpusBleu,
  exactMatch,
  pointingAccuracy,
  sceneSplit,
  slotAccuracy,
  tokenizeCaption,
} from '../src/index.js';

const words = (s: string) => s.split(' ');

// Papineni et al. (2002), section 2.1.
const PAPINENI_REFS = [
  'It is a guide to action that ensures that the military will forever heed Party commands.',
  'It is the guiding principle which guarantees the military forces always being under the command of the Party.',
  'It is the practical guide for the army always to heed the directions of the party.',
].map(tokenizeCaption);
const CANDIDATE_1 = tokenizeCaption(
  'It is a guide to action which ensures that the military always obeys the commands of the party.',
);
const CANDIDATE_2 = tokenizeCaption(
  'It is to insure the troops forever hearing the activity guidebook that party direct.',
);

describe('tokenizeCaption', () => {
  it('lower-cases and drops punctuation, keeping apostrophes inside words', () => {
    expect(tokenizeCaption("A man, riding a horse (brown)!  Isn't it?")).toEqual([
      'a',
      'man',
      'riding',
      'a',
      'horse',
      'brown',
      "isn't",
      'it',
    ]);
  });
});

describe('corpusBleu', () => {
  it('reproduces the paper’s modified precisions and agrees with NLTK’s corpus_bleu', () => {
    const one = corpusBleu([CANDIDATE_1], [PAPINENI_REFS]);
    expect(one.precisions[0]).toBeCloseTo(17 / 18, 9); // the paper's 17/18
    expect(one.precisions[1]).toBeCloseTo(10 / 17, 9); // and 10/17
    // Values printed by NLTK 3.8 (nltk.translate.bleu_score.corpus_bleu, closest reference length, no smoothing).
    expect(one.bleu[3]).toBeCloseTo(0.5045666840058485, 9);
    const two = corpusBleu([CANDIDATE_1, CANDIDATE_2], [PAPINENI_REFS, PAPINENI_REFS]);
    expect(two.bleu[0]).toBeCloseTo(0.733916455323028, 9);
    expect(two.bleu[1]).toBeCloseTo(0.5027908033031354, 9);
    expect(two.bleu[2]).toBeCloseTo(0.390112995681918, 9);
    expect(two.bleu[3]).toBeCloseTo(0.3043537261305561, 9);
  });

  it('clips repeated words, is 1 for an exact match, applies the brevity penalty of the closest reference', () => {
    const r = corpusBleu(
      [words('the the the the the the the')],
      [[words('the cat is on the mat'), words('there is a cat on the mat')]],
    );
    expect(r.precisions[0]).toBeCloseTo(2 / 7, 9);
    // 1 up to the 1e-9 guard.
    expect(corpusBleu([words('a b c d e')], [[words('a b c d e')]]).bleu[3]).toBeCloseTo(1, 8);
    // 4 words against references of 5 and 9 words: r = 5, BP = exp(1 − 5/4).
    const short = corpusBleu([words('a b c d')], [[words('a b c d e'), words('a b c d e f g h i')]]);
    expect(short.brevityPenalty).toBeCloseTo(Math.exp(1 - 5 / 4), 9);
    expect(short.bleu[3]).toBeCloseTo(Math.exp(1 - 5 / 4), 8);
    expect(() => corpusBleu([words('a')], [])).toThrow(/1 candidates for 0 reference sets/);
  });
});

describe('ciderD', () => {
  it('gives 10 to a caption equal to its only reference when none of its n-grams occur in other images', () => {
    const r = ciderD([words('a b c d'), words('e f g h')], [[words('a b c d')], [words('e f g h')]]);
    expect(r.perImage[0]).toBeCloseTo(10, 12);
    expect(r.cider).toBeCloseTo(10, 12);
  });

  it('matches a worked example: partial overlap, an unseen word and the length penalty', () => {
    // Two images, N = 2, so idf = log 2 for n-grams seen in one image's references (and for unseen ones).
    // Candidate "e f x" vs reference "e f g h": unigrams share e, f → 2/(√3·2) = 1/√3; bigrams share "e f" →
    // 1/(√2·√3) = 1/√6; no trigram or 4-gram in common → 0. Bigram counts 2 vs 3: penalty exp(−1/72).
    const r = ciderD([words('a b c d'), words('e f x')], [[words('a b c d')], [words('e f g h')]]);
    const expected = 10 * Math.exp(-1 / 72) * ((1 / Math.sqrt(3) + 1 / Math.sqrt(6)) / 4);
    expect(r.perImage[1]).toBeCloseTo(expected, 12);
    expect(r.cider).toBeCloseTo((10 + expected) / 2, 12);
  });

  it('gives n-grams that every image’s references contain no weight', () => {
    // "a" is in both images' references: idf log(2/2) = 0, so matching only "a" scores 0.
    const r = ciderD([words('a z'), words('a y')], [[words('a b')], [words('a c')]]);
    expect(r.perImage).toEqual([0, 0]);
  });
});

describe('scene caption metrics', () => {
  const scenes = sceneSplit('test', 20, { seed: 3 });
  const truth = scenes.map((s) => s.caption);

  it('exact match and per-slot accuracy count what differs', () => {
    const predicted = truth.map((t) => [...t.tokens]);
    expect(exactMatch(predicted, truth).rate).toBe(1);
    // Change the colour of the first object in every caption.
    const recoloured = truth.map((t) =>
      t.tokens.map((w, k) => (k === t.kinds.indexOf('colour') ? (w === 'red' ? 'blue' : 'red') : w)),
    );
    expect(exactMatch(recoloured, truth).rate).toBe(0);
    const slots = slotAccuracy(recoloured, truth);
    const colours = truth.reduce((n, t) => n + t.kinds.filter((k) => k === 'colour').length, 0);
    expect(slots.colour).toEqual({
      correct: colours - truth.length,
      total: colours,
      rate: (colours - truth.length) / colours,
    });
    expect(slots.shape.rate).toBe(1);
  });

  it('pointing accuracy: a map peaked on the object hits, one peaked on empty background misses', () => {
    const scene = scenes.find((s) => s.objects.length === 1)!;
    const grid = [8, 8] as const;
    const cellOf = (x: number, y: number) => Math.floor((y / scene.size) * 8) * 8 + Math.floor((x / scene.size) * 8);
    const peak = (cell: number) => Float64Array.from({ length: 64 }, (_, c) => (c === cell ? 0.9 : 0.1 / 63));
    const o = scene.objects[0]!;
    const onObject = scene.caption.tokens.map(() => peak(cellOf(o.cx, o.cy)));
    const corner =
      o.cx > scene.size / 2 ? cellOf(1, o.cy > scene.size / 2 ? 1 : scene.size - 2) : cellOf(scene.size - 2, 1);
    const offObject = scene.caption.tokens.map(() => peak(corner));
    const item = { caption: scene.caption, grid, masks: scene.masks, size: scene.size };
    expect(pointingAccuracy([{ ...item, attention: onObject }])).toEqual({ correct: 3, total: 3, rate: 1 });
    expect(pointingAccuracy([{ ...item, attention: offObject }]).rate).toBe(0);
    expect(captionScene(scene.objects).objectOfToken.filter((x) => x >= 0)).toHaveLength(3);
  });
});
