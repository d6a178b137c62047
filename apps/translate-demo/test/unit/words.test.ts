import { describe, expect, it } from 'vitest';
import { showPiece, wordAttention, wordGroups, wordProbabilities, wordTexts } from '../../lib/words';

describe('subword pieces → words', () => {
  it('groups pieces into words at boundary spaces and at changes between letters, digits and punctuation', () => {
    // "Ein Mann mit orangefarbenen Hut, 1984." as the joint BPE cuts it (numbers are single digits).
    const tokens = ['Ein', ' Mann', ' mit', ' orange', 'far', 'benen', ' Hut', ',', ' ', '1', '9', '8', '4', '.'];
    const groups = wordGroups(tokens);
    expect(groups).toEqual([[0], [1], [2], [3, 4, 5], [6], [7], [8, 9, 10, 11, 12], [13]]);
    expect(wordTexts(tokens, groups)).toEqual(['Ein', 'Mann', 'mit', 'orangefarbenen', 'Hut', ',', '1984', '.']);
  });

  it('keeps "t-shirt", "l\'eau" and "man\'s" as one word each, but not a dash between spaces', () => {
    const tokens = [' un', ' t', '-', 'shirt', ' de', ' l', "'", 'eau', ' man', '’', 's', ' -', ' Hut', '-'];
    const groups = wordGroups(tokens);
    expect(wordTexts(tokens, groups)).toEqual(['un', 't-shirt', 'de', "l'eau", 'man’s', '-', 'Hut-']);
    expect(wordGroups(['-', 'a'])).toEqual([[0], [1]]);
  });

  it('keeps special tokens as words of their own and handles empty input', () => {
    expect(wordGroups([' a', '<unk>', 'b', ' c'])).toEqual([[0], [1], [2], [3]]);
    expect(wordGroups([])).toEqual([]);
  });

  it('word attention sums each source word and averages each target word, so rows still sum to 1', () => {
    const attention = [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
      [0.0, 0.5, 0.5],
    ];
    const target = [[0], [1, 2]];
    const source = [[0], [1, 2]];
    const words = wordAttention(attention, target, source);
    expect(words[0]).toEqual([0.7, expect.closeTo(0.3, 12)]);
    expect(words[1]?.[0]).toBeCloseTo(0.05, 12);
    expect(words[1]?.[1]).toBeCloseTo(0.95, 12);
    for (const row of words) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => wordAttention(attention, [[5]], source)).toThrow('no attention row 5');
  });

  it('a word is as probable as all of its pieces; pieces show their boundary space as ▁', () => {
    expect(wordProbabilities([0.5, 0.8, 0.9, 0.4], [[0, 1], [2]])).toEqual([0.4, 0.9]);
    expect(showPiece(' Hund')).toBe('▁Hund');
    expect(showPiece('e')).toBe('e');
  });
});
