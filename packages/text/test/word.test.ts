import { FormatError, ValueError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from '../src/tokenizers/word.js';
import { splitWords } from '../src/tokenizers/word-split.js';

describe('splitWords', () => {
  it('splits raw English the way PTB-tokenised SST-2 is written', () => {
    expect(splitWords("I didn't like it's ending... can't, won't!")).toEqual([
      'I',
      'did',
      "n't",
      'like',
      'it',
      "'s",
      'ending',
      '...',
      'ca',
      "n't",
      ',',
      'wo',
      "n't",
      '!',
    ]);
    expect(splitWords('We’re here — they’ll see')).toEqual(['We', "'re", 'here', '—', 'they', "'ll", 'see']);
  });

  it('keeps numbers, acronyms, abbreviations, slash compounds and decades whole', () => {
    expect(
      splitWords("Mr. Smith saw the U.S. cut -- 1.8 stars from 2,500 fans, writer/director '70s style *** etc."),
    ).toEqual([
      'Mr.',
      'Smith',
      'saw',
      'the',
      'U.S.',
      'cut',
      '--',
      '1.8',
      'stars',
      'from',
      '2,500',
      'fans',
      ',',
      'writer/director',
      "'70s",
      'style',
      '***',
      'etc',
      '.',
    ]);
  });

  it('keeps PTB-tokenised input as its own tokens', () => {
    const ptb =
      "it 's not a `` bad '' film -lrb- though it does n't work -rrb- -- a christmas-tree writer\\/director 's " +
      '\\*\\*\\* flocking .';
    expect(splitWords(ptb)).toEqual(ptb.split(' '));
  });

  it('handles other scripts, digits and emoji without throwing', () => {
    expect(splitWords('Ünïcode 日本語 3.5 naïve 😀👍')).toEqual(['Ünïcode', '日本語', '3.5', 'naïve', '😀', '👍']);
    expect(splitWords('   ')).toEqual([]);
  });
});

describe('WordTokenizer', () => {
  const texts = ['the movie was good', 'the movie was bad', 'the plot was thin', 'good good fun'];

  it('puts the specials at 0..3 and ranks words by frequency, ties alphabetically', () => {
    const tok = WordTokenizer.fromTexts(texts);
    expect(tok.vocab.toArray()).toEqual([
      '<pad>',
      '<unk>',
      '<s>',
      '</s>',
      'good',
      'the',
      'was',
      'movie',
      'bad',
      'fun',
      'plot',
      'thin',
    ]);
    expect([tok.padId, tok.unkId, tok.bosId, tok.eosId]).toEqual([0, 1, 2, 3]);
  });

  it('applies minFreq and maxSize', () => {
    expect(WordTokenizer.fromTexts(texts, { minFreq: 2 }).vocab.toArray()).toEqual([
      '<pad>',
      '<unk>',
      '<s>',
      '</s>',
      'good',
      'the',
      'was',
      'movie',
    ]);
    expect(WordTokenizer.fromTexts(texts, { maxSize: 6 }).vocab.toArray()).toEqual([
      '<pad>',
      '<unk>',
      '<s>',
      '</s>',
      'good',
      'the',
    ]);
    expect(() => WordTokenizer.fromTexts(texts, { minFreq: 0 })).toThrow(ValueError);
    expect(() => WordTokenizer.fromTexts(texts, { maxSize: 3 })).toThrow(/at least 4/);
  });

  it('lowercases by default, maps unknown words to <unk>, adds <s>/</s> on request', () => {
    const tok = WordTokenizer.fromTexts(texts);
    expect(tok.encode('The MOVIE was terrible')).toEqual([5, 7, 6, 1]);
    expect(tok.encode('good', { addBos: true, addEos: true })).toEqual([2, 4, 3]);
    expect(tok.decode([2, 5, 7, 1, 3, 0, 0])).toBe('the movie <unk>');
    expect(tok.decode([2, 5, 3], { skipSpecials: false })).toBe('<s> the </s>');
    expect(() => tok.decode([99])).toThrow(/outside the vocabulary/);
  });

  it('keeps case when lowercase is off', () => {
    const tok = WordTokenizer.fromTexts(['Good good'], { lowercase: false });
    expect(tok.vocab.toArray().slice(4)).toEqual(['Good', 'good']);
    expect(tok.encode('good GOOD')).toEqual([5, 1]);
  });

  it('never puts a special token among the words even if the text contains it', () => {
    const tok = WordTokenizer.fromTexts(['a </s> b']);
    expect(tok.vocab.toArray().filter((t) => t === '</s>')).toHaveLength(1);
  });

  it('round-trips through JSON and rejects malformed files', () => {
    const tok = WordTokenizer.fromTexts(texts, { lowercase: true });
    const json = JSON.parse(JSON.stringify(tok.toJSON()));
    const back = WordTokenizer.fromJSON(json);
    expect(back.vocab.toArray()).toEqual(tok.vocab.toArray());
    expect(back.encode('the plot was bad')).toEqual(tok.encode('the plot was bad'));
    expect(() => WordTokenizer.fromJSON({ ...json, tokens: ['<unk>', '<pad>', '<s>', '</s>'] })).toThrow(
      /must start with <pad>, <unk>, <s>, <\/s>/,
    );
    expect(() => WordTokenizer.fromJSON({ ...json, lowercase: 'yes' })).toThrow(FormatError);
    expect(() => WordTokenizer.fromJSON({ ...json, tokens: [...json.tokens, 'good'] })).toThrow(
      /duplicate token "good"/,
    );
  });
});
