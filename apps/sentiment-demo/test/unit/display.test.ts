import { describe, expect, it } from 'vitest';
import { lastChars } from '../../lib/context';
import {
  appendToken,
  continuationText,
  detokenizeWords,
  displayToken,
  percent,
  probabilityText,
  splitUnknown,
} from '../../lib/display';

describe('displayToken', () => {
  it('names whitespace and special tokens', () => {
    expect(displayToken(' ')).toEqual({ text: '␣', hint: 'space' });
    expect(displayToken('\n').hint).toBe('new line');
    expect(displayToken('</s>').text).toBe('⟨end⟩');
    expect(displayToken('love')).toEqual({ text: 'love' });
  });
});

describe('appendToken', () => {
  it('glues characters and spaces words (not punctuation or clitics)', () => {
    expect(appendToken('To b', 'e', 'char')).toBe('To be');
    expect(appendToken('the movie', 'was', 'word')).toBe('the movie was');
    expect(appendToken('the movie ', 'was', 'word')).toBe('the movie was');
    expect(appendToken('it was good', '.', 'word')).toBe('it was good.');
    expect(appendToken('i did', "n't", 'word')).toBe("i didn't");
    expect(appendToken('the end', '<unk>', 'word')).toBe('the end');
  });
});

describe('lastChars', () => {
  it('keeps short prefixes whole', () => {
    expect(lastChars('abc', 10, false)).toEqual({ text: 'abc', truncated: false });
  });

  it('keeps the end, never starting inside a surrogate pair or (for words) a word', () => {
    expect(lastChars('x😀yz', 3, false)).toEqual({ text: 'yz', truncated: true });
    expect(lastChars('alpha beta gamma', 8, true)).toEqual({ text: 'gamma', truncated: true });
  });
});

describe('percent', () => {
  it('formats probabilities', () => {
    expect(percent(0.8734)).toBe('87.3%');
    expect(percent(1, 0)).toBe('100%');
    expect(probabilityText(0.00001)).toBe('<0.1%');
    expect(probabilityText(0.99999)).toBe('>99.9%');
    expect(probabilityText(0.5)).toBe('50.0%');
  });
});

describe('splitUnknown', () => {
  it('marks <unk> in generated text', () => {
    expect(splitUnknown('a <unk> b<unk>')).toEqual([
      { text: 'a ', unknown: false },
      { text: '<unk>', unknown: true },
      { text: ' b', unknown: false },
      { text: '<unk>', unknown: true },
    ]);
    expect(splitUnknown('')).toEqual([]);
  });
});

describe('detokenizeWords', () => {
  it('removes the spaces the word tokenizer put before punctuation and clitics', () => {
    expect(detokenizeWords("it 's good . i did n't like the ( long ) ending , though !")).toBe(
      "it's good. i didn't like the (long) ending, though!",
    );
    expect(detokenizeWords('a <unk> film')).toBe('a <unk> film');
  });
});

describe('continuationText', () => {
  it('separates words from the prefix unless they attach to it; characters are glued', () => {
    expect(continuationText('the movie was', 'very good .', 'word')).toBe(' very good.');
    expect(continuationText('the movie was', ". it 's", 'word')).toBe(". it's");
    expect(continuationText('the movie was ', 'fun', 'word')).toBe('fun');
    expect(continuationText('', 'fun', 'word')).toBe('fun');
    expect(continuationText('To b', 'e or', 'char')).toBe('e or');
  });
});
