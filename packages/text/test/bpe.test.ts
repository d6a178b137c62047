import { FormatError, ValueError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { BpeTokenizer, bpePieces } from '../src/tokenizers/bpe.js';

const corpus = [
  'the lowest newest widest lower',
  'new newer newest low lower lowest',
  'The film was wonderful.\nThe acting was wonderful, too!',
  '  indented\ttab and  double  spaces',
];

describe('bpePieces', () => {
  it('cuts text into pieces that concatenate back to the text', () => {
    const text = "Hello,  world!\n\tIt's 2024 — 日本語 😀👍🏽 ok";
    expect(bpePieces(text).join('')).toBe(text);
    expect(bpePieces('a  b\nc')).toEqual(['a', ' ', ' b', '\n', 'c']);
    expect(bpePieces('hi, 42!')).toEqual(['hi', ',', ' 42', '!']);
  });
});

describe('BpeTokenizer', () => {
  it('learns the most frequent pair first, ties by smaller (left, right) tokens', () => {
    // pairs: (a,b)×3, (b,c)×2, (c,d)×2 -> first "ab"; then (ab,c)×2 and (c,d)×2 tie: "ab"+"c" < "c"+"d"
    const tok = BpeTokenizer.train(['abcd abcd ab'.replace(/ /g, '\n')], { numMerges: 2 });
    expect(tok.mergeList()).toEqual([
      ['a', 'b'],
      ['ab', 'c'],
    ]);
    expect(tok.vocab.toArray()).toEqual(['<pad>', '<unk>', '<s>', '</s>', '\n', 'a', 'b', 'c', 'd', 'ab', 'abc']);
  });

  it('is deterministic: the same text gives the same merges, whatever the order of texts', () => {
    const a = BpeTokenizer.train(corpus, { numMerges: 40 });
    const b = BpeTokenizer.train([...corpus].reverse(), { numMerges: 40 });
    expect(b.mergeList()).toEqual(a.mergeList());
    expect(b.vocab.toArray()).toEqual(a.vocab.toArray());
  });

  it('round-trips seen characters exactly, including spacing and newlines', () => {
    const tok = BpeTokenizer.train(corpus, { numMerges: 50 });
    for (const text of [...corpus, 'wider  newest\n\nlow', ' leading and trailing ']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
    expect(tok.encode('lowest').length).toBeLessThan('lowest'.length);
  });

  it('uses the leading space as word-boundary marker', () => {
    const tok = BpeTokenizer.train(['low low low low'], { numMerges: 10 });
    expect(tok.tokenize('low low')).toEqual(['low', ' low']);
    expect(tok.displayToken(tok.tokenToId(' low')!)).toBe('\u2581low');
  });

  it('encodes unseen characters as <unk>', () => {
    const tok = BpeTokenizer.train(corpus, { numMerges: 20 });
    const ids = tok.encode('new 😀 lower');
    expect(ids).toContain(tok.unkId);
    expect(tok.decode(ids)).toBe('new \uFFFD lower');
    expect(tok.decode(ids, { unkText: '?' })).toBe('new ? lower');
  });

  it('stops at vocabSize and validates options', () => {
    const base = BpeTokenizer.train(corpus, { numMerges: 0 }).vocabSize;
    expect(BpeTokenizer.train(corpus, { vocabSize: base + 10 }).vocabSize).toBe(base + 10);
    // a tiny corpus runs out of pairs seen twice before reaching a large target
    expect(BpeTokenizer.train(corpus, { vocabSize: base + 1000 }).vocabSize).toBeLessThan(base + 1000);
    expect(() => BpeTokenizer.train(corpus, {})).toThrow(/exactly one of numMerges and vocabSize/);
    expect(() => BpeTokenizer.train(corpus, { numMerges: 5, vocabSize: 100 })).toThrow(ValueError);
    expect(() => BpeTokenizer.train(corpus, { vocabSize: 5 })).toThrow(/smaller than/);
    expect(() => BpeTokenizer.train([''], { numMerges: 5 })).toThrow(/empty/);
  });

  it('lowercases when asked', () => {
    const tok = BpeTokenizer.train(['The THE the'], { numMerges: 5, lowercase: true });
    expect(tok.decode(tok.encode('THE the'))).toBe('the the');
  });

  it('round-trips through JSON and rejects malformed merges', () => {
    const tok = BpeTokenizer.train(corpus, { numMerges: 30 });
    const json = JSON.parse(JSON.stringify(tok.toJSON()));
    expect(json.type).toBe('bpe');
    const back = BpeTokenizer.fromJSON(json);
    const text = 'the newest lower widest film!';
    expect(back.encode(text)).toEqual(tok.encode(text));
    expect(() => BpeTokenizer.fromJSON({ ...json, merges: [['e', 'q']] })).toThrow(/missing from "tokens": "q"/);
    expect(() => BpeTokenizer.fromJSON({ ...json, merges: [['e', 'w'], 'ew'] })).toThrow(
      /"merges"\[1\] must be a pair/,
    );
    expect(() => BpeTokenizer.fromJSON({ ...json, merges: [...json.merges, json.merges[0]] })).toThrow(/listed twice/);
    expect(() => BpeTokenizer.fromJSON({ ...json, merges: undefined })).toThrow(FormatError);
  });
});
