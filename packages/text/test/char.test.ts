import { FormatError, ValueError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../src/tokenizers/char.js';

describe('CharTokenizer', () => {
  it('builds a sorted vocabulary of distinct characters (by code point) and round-trips', () => {
    const tok = CharTokenizer.fromText('hello world');
    expect(tok.alphabet).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.vocabSize).toBe(8);
    expect(tok.encode('hello')).toEqual([3, 2, 4, 4, 5]);
    expect(tok.decode(tok.encode('world hello'))).toBe('world hello');
    expect(tok.padId).toBeNull();
    expect(tok.unkId).toBeNull();
  });

  it('treats an emoji as one character and sorts astral characters after the BMP (Python order)', () => {
    const tok = CharTokenizer.fromText('b😀a\uff5e');
    expect(tok.alphabet).toEqual(['a', 'b', '\uff5e', '😀']);
    expect(tok.encode('😀a')).toEqual([3, 0]);
    expect(tok.decode([3, 0])).toBe('😀a');
  });

  it('throws a ValueError naming the unseen character by default', () => {
    const tok = CharTokenizer.fromText('abc');
    expect(() => tok.encode('abz')).toThrow(ValueError);
    expect(() => tok.encode('abz')).toThrow(/"z" \(U\+007A\) at position 2/);
  });

  it('maps unseen characters to <unk> (the last id) when asked, decoding it as U+FFFD', () => {
    const tok = CharTokenizer.fromText('abc', { unknown: 'unk' });
    expect(tok.vocabSize).toBe(4);
    expect(tok.unkId).toBe(3);
    expect(tok.encode('a😀c')).toEqual([0, 3, 2]);
    expect(tok.decode([0, 3, 2])).toBe('a\uFFFDc');
    expect(tok.idToToken(3)).toBe('<unk>');
    expect(tok.tokenToId('<unk>')).toBe(3);
  });

  it('rejects ids outside the vocabulary, empty training text and bad options', () => {
    const tok = CharTokenizer.fromText('ab');
    expect(() => tok.decode([2])).toThrow(/outside the character vocabulary/);
    expect(() => tok.decode([0.5])).toThrow(ValueError);
    expect(() => CharTokenizer.fromText('')).toThrow(/empty/);
    expect(() => new CharTokenizer(['a', 'a'])).toThrow(/duplicate/);
    expect(() => new CharTokenizer(['ab'])).toThrow(/single character/);
    expect(() => CharTokenizer.fromText('a', { unknown: 'skip' as never })).toThrow(ValueError);
  });

  it('saves and loads through JSON', () => {
    const tok = CharTokenizer.fromText('The quick 🦊', { unknown: 'unk' });
    const json = JSON.parse(JSON.stringify(tok.toJSON()));
    expect(json).toMatchObject({ format: 'recurrent-tokenizer', version: 1, type: 'char', unknown: 'unk' });
    const back = CharTokenizer.fromJSON(json);
    expect(back.alphabet).toEqual(tok.alphabet);
    expect(back.encode('quick 🦊!')).toEqual(tok.encode('quick 🦊!'));
    expect(() => CharTokenizer.fromJSON({ ...json, tokens: ['a', 'a'] })).toThrow(FormatError);
    expect(() => CharTokenizer.fromJSON({ ...json, unknown: 'maybe' })).toThrow(/"unknown" must be one of/);
  });
});
