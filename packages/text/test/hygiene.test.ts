import { describe, expect, it } from 'vitest';
import { normalizeText, prepareInput, truncateText } from '../src/hygiene.js';

describe('normalizeText', () => {
  it('applies NFC, unifies line breaks and strips control characters', () => {
    expect(normalizeText('cafe\u0301')).toBe('caf\u00e9');
    expect(normalizeText('a\r\nb\rc\u0085d\u2028e')).toBe('a\nb\nc\nd\ne');
    expect(normalizeText('a\u0000b\u0007c\td\u009f')).toBe('abc\td');
  });

  it('keeps emoji sequences and other scripts, replaces lone surrogates', () => {
    const family = '👨\u200d👩\u200d👧 🏳️\u200d🌈 日本語 العربية';
    expect(normalizeText(family)).toBe(family);
    expect(normalizeText('a\ud800b\udc00')).toBe('a\uFFFDb\uFFFD');
  });

  it('optionally collapses whitespace', () => {
    expect(normalizeText('  a \n\n b\t ', { collapseWhitespace: true })).toBe('a b');
  });
});

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('short', 10)).toEqual({ text: 'short', truncated: false, originalLength: 5 });
  });

  it('cuts long text, at a space when one is near the end, and flags it', () => {
    const long = 'word '.repeat(20_000);
    const r = truncateText(long, 50_000 - 2);
    expect(r.truncated).toBe(true);
    expect(r.originalLength).toBe(100_000);
    expect(r.text.length).toBeLessThanOrEqual(50_000 - 2);
    expect(r.text.endsWith('word')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const r = truncateText('😀😀😀', 3);
    expect(r.text).toBe('😀');
    expect(r.truncated).toBe(true);
  });
});

describe('prepareInput', () => {
  it('reports empty and truncated input for the UI', () => {
    expect(prepareInput(' \n\u0000 ').empty).toBe(true);
    const r = prepareInput('x'.repeat(60_000));
    expect(r).toMatchObject({ truncated: true, originalLength: 60_000, empty: false });
    expect(r.text.length).toBe(50_000);
    expect(prepareInput('great film 👍', { maxChars: 100 })).toEqual({
      text: 'great film 👍',
      truncated: false,
      originalLength: 13,
      empty: false,
    });
  });
});
