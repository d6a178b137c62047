import { describe, expect, it } from 'vitest';
import { alignmentView, linkWeights } from '../../lib/alignment-view';
import type { SentenceTranslation } from '../../lib/protocol';

const translation: SentenceTranslation = {
  source: 'Zwei Hunde.',
  sourceTokens: ['Z', 'wei', ' Hunde', '.'],
  unknown: [],
  sourceTruncated: false,
  text: 'Two dogs.',
  tokens: ['Two', ' do', 'gs', '.'],
  attention: [
    [0.5, 0.4, 0.05, 0.05],
    [0.1, 0.1, 0.7, 0.1],
    [0.0, 0.1, 0.8, 0.1],
    [0.0, 0.0, 0.1, 0.9],
    [0.25, 0.25, 0.25, 0.25], // eos
  ],
  tokenProbabilities: [0.9, 0.5, 0.8, 0.95, 0.99],
  nBest: [],
  finished: true,
  timings: { encodeMs: 1, decodeMs: 2, totalMs: 3 },
  cached: false,
};

describe('alignmentView', () => {
  it('subword view: every piece, the attention without the eos row, the pieces’ probabilities', () => {
    const v = alignmentView(translation, { pieces: true });
    expect(v.source).toEqual(['Z', 'wei', '▁Hunde', '.']);
    expect(v.target).toEqual(['Two', '▁do', 'gs', '.']);
    expect(v.attention).toHaveLength(4);
    expect(v.probabilities).toEqual([0.9, 0.5, 0.8, 0.95]);
  });

  it('word view: words on both sides, rows summing to 1, word probabilities', () => {
    const v = alignmentView(translation, { pieces: false });
    expect(v.source).toEqual(['Zwei', 'Hunde', '.']);
    expect(v.target).toEqual(['Two', 'dogs', '.']);
    expect(v.attention.map((r) => r.length)).toEqual([3, 3, 3]);
    for (const row of v.attention) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(v.attention[1]?.[1]).toBeCloseTo(0.75, 12);
    expect(v.probabilities[1]).toBeCloseTo(0.4, 12);
  });

  it('links a focused word to the other side, scaled to the strongest; nothing on its own side', () => {
    const a = [
      [0.5, 0.25],
      [0.25, 0.5],
    ];
    expect(linkWeights(a, { side: 'target', index: 0 }, 'source')).toEqual([1, 0.5]);
    expect(linkWeights(a, { side: 'source', index: 1 }, 'target')).toEqual([0.5, 1]);
    expect(linkWeights(a, { side: 'source', index: 1 }, 'source')).toBeNull();
    expect(linkWeights(a, null, 'target')).toBeNull();
  });
});
