import { FormatError, ValueError } from '@recurrent/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpeTokenizer } from '../src/tokenizers/bpe.js';
import { CharTokenizer } from '../src/tokenizers/char.js';
import { loadTokenizerFile, saveTokenizerFile } from '../src/tokenizers/file.js';
import { parseTokenizer, stringifyTokenizer, tokenizerFromJSON } from '../src/tokenizers/load.js';
import { WordTokenizer } from '../src/tokenizers/word.js';

const text = 'a small corpus, a small test.\nAnother line!';
const tokenizers = [
  CharTokenizer.fromText(text),
  WordTokenizer.fromTexts([text]),
  BpeTokenizer.train([text], { numMerges: 10 }),
];

describe('tokenizer JSON', () => {
  it('restores every type through tokenizerFromJSON / parseTokenizer', () => {
    for (const tok of tokenizers) {
      const back = parseTokenizer(stringifyTokenizer(tok));
      expect(back.constructor).toBe(tok.constructor);
      expect(back.encode('a small line')).toEqual(tok.encode('a small line'));
      expect(back.toJSON()).toEqual(tok.toJSON());
    }
  });

  it('gives FormatError for malformed files', () => {
    expect(() => parseTokenizer('{"format": ')).toThrow(/not valid JSON/);
    expect(() => parseTokenizer('[1,2]')).toThrow(/unknown tokenizer type/);
    expect(() => tokenizerFromJSON(null)).toThrow(FormatError);
    expect(() => tokenizerFromJSON({ type: 'sentencepiece' })).toThrow(/unknown tokenizer type "sentencepiece"/);
    const good = tokenizers[1]!.toJSON();
    expect(() => tokenizerFromJSON({ ...good, format: 'other' })).toThrow(/not a Recurrent tokenizer file/);
    expect(() => tokenizerFromJSON({ ...good, version: 2 })).toThrow(/unsupported tokenizer format version 2/);
    expect(() => tokenizerFromJSON({ ...good, tokens: 'abc' })).toThrow(/"tokens" must be an array of strings/);
    expect(() => tokenizerFromJSON({ ...good, tokens: ['<pad>', 7] })).toThrow(/"tokens"\[1\] must be a string/);
  });
});

describe('tokenizer files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recurrent-text-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves atomically and loads back', () => {
    const path = join(dir, 'tokenizer.json');
    saveTokenizerFile(path, tokenizers[2]!);
    expect(readdirSync(dir)).toEqual(['tokenizer.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).type).toBe('bpe');
    expect(loadTokenizerFile(path).encode('small')).toEqual(tokenizers[2]!.encode('small'));
    expect(existsSync(`${path}.tmp-${process.pid}`)).toBe(false);
  });

  it('names the file in the error of a malformed file', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(
      path,
      '{"format": "recurrent-tokenizer", "version": 1, "type": "word", "tokens": [], "lowercase": true}',
    );
    expect(() => loadTokenizerFile(path)).toThrow(FormatError);
    expect(() => loadTokenizerFile(path)).toThrow(/broken\.json: .*must start with <pad>/);
  });
});

describe('shared tokenizer behaviour', () => {
  const sample = 'a small test line, unseen 😀 words!';

  it('tokenize and encode are aligned one to one (the per-token views of the demo rely on it)', () => {
    for (const tok of tokenizers) {
      const t = tok.type === 'char' ? CharTokenizer.fromText(text, { unknown: 'unk' }) : tok;
      const ids = t.encode(sample);
      expect(t.tokenize(sample)).toHaveLength(ids.length);
      t.tokenize(sample).forEach((token, i) => {
        if (ids[i] !== t.unkId) expect(t.tokenToId(token)).toBe(ids[i]);
      });
    }
  });

  it('lists what the model cannot represent', () => {
    expect(tokenizers[0]!.unknownTokens(sample)).toEqual(['😀', 'w', 'd']);
    expect(tokenizers[1]!.unknownTokens(sample)).toEqual(['unseen', '😀', 'words']);
    expect(tokenizers[2]!.unknownTokens(sample)).toEqual(['😀', 'w', 'd']);
    expect(tokenizers[2]!.unknownTokens('a small line')).toEqual([]);
  });

  it('throws ValueError (not FormatError) for a bad vocabulary built in code', () => {
    expect(() => new WordTokenizer(['<pad>', '<unk>'])).toThrow(/must start with <pad>, <unk>, <s>, <\/s>/);
    expect(() => new WordTokenizer(['<pad>', '<unk>', '<s>', '</s>', 'a', 'a'])).toThrow(/duplicate token "a"/);
    expect(() => new WordTokenizer(['x'])).toThrow(ValueError); // FormatError is not a ValueError
    expect(() => new BpeTokenizer(['<pad>', '<unk>', '<s>', '</s>', 'a'], [[4, 4]])).toThrow(
      /has no token in the vocabulary/,
    );
  });
});
