import { FormatError } from '@recurrent/core';
import { findDataDir } from '@recurrent/core/node';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetNotFoundError } from '../src/datasets/data-dir.js';
import { readImdb } from '../src/datasets/imdb.js';
import { readSst2Glue, readSst2GlueTest, readSst2Sentences } from '../src/datasets/sst2.js';
import { readTinyShakespeare, readTinyShakespeareSplits, splitTrainVal } from '../src/datasets/tinyshakespeare.js';
import { BpeTokenizer } from '../src/tokenizers/bpe.js';
import { CharTokenizer } from '../src/tokenizers/char.js';
import { splitWords } from '../src/tokenizers/word-split.js';

const found = findDataDir();
const dataDir = found && existsSync(found) ? found : null;
if (!dataDir)
  console.warn(
    '[@recurrent/text] skipping the real-dataset tests: no data folder (set RECURRENT_DATA or place shared/data ' +
      'beside the checkout)',
  );

const count = (xs: { label: number }[], label: number) => xs.filter((x) => x.label === label).length;

describe.skipIf(!dataDir)('readers on the real files in shared/data', () => {
  it('reads sentence-level SST-2 (6,920 / 872 / 1,821)', () => {
    const train = readSst2Sentences('train');
    const dev = readSst2Sentences('dev');
    const test = readSst2Sentences('test');
    expect([train.length, dev.length, test.length]).toEqual([6920, 872, 1821]);
    expect([count(train, 0), count(train, 1), count(test, 0), count(test, 1)]).toEqual([3310, 3610, 912, 909]);
    expect(test[0]).toEqual({ text: 'no movement , no yuks , not much of anything .', label: 0 });
    const unescaped = readSst2Sentences('train', { unescapePtb: true });
    expect(train.some((x) => x.text.includes('-lrb-'))).toBe(true);
    expect(unescaped.some((x) => x.text.includes('-lrb-'))).toBe(false);
  });

  it('reads GLUE SST-2 (train 67,349, dev 872) and trims the space before the tab', () => {
    const train = readSst2Glue('train');
    const dev = readSst2Glue('dev');
    expect([train.length, dev.length]).toEqual([67349, 872]);
    expect([count(train, 0), count(train, 1), count(dev, 0), count(dev, 1)]).toEqual([29780, 37569, 428, 444]);
    expect(train[0]).toEqual({ text: 'hide new secretions from the parental units', label: 0 });
    expect(train.every((x) => x.text === x.text.trim())).toBe(true);
    const test = readSst2GlueTest();
    expect(test).toHaveLength(1821);
    expect(test[0]).toEqual({ index: 0, text: 'uneasy mishmash of styles and genres .' });
  });

  it('reads IMDB (25,000 / 25,000, balanced) with <br /> stripped and U+0085 kept inside records', () => {
    const train = readImdb('train');
    const test = readImdb('test');
    expect([train.length, test.length]).toEqual([25000, 25000]);
    expect([count(train, 0), count(train, 1), count(test, 0), count(test, 1)]).toEqual([12500, 12500, 12500, 12500]);
    expect(train.some((r) => /<br\s*\/?>/i.test(r.text))).toBe(false);
    expect(train.filter((r) => r.text.includes('\u0085')).length).toBeGreaterThan(0);
    expect(train[3125]!.text.startsWith('Bromwell High is a cartoon comedy.')).toBe(true);
    expect(train.every((r) => (r.label === 1 ? r.rating >= 7 : r.rating <= 4))).toBe(true);
    const part = readImdb('train', { parts: [2], stripHtml: false });
    expect(part).toHaveLength(6250);
    expect(part.some((r) => r.text.includes('<br />'))).toBe(true);
  });

  it('reads tinyshakespeare (1,115,394 chars, 65 symbols) and splits 90 / 10', () => {
    const text = readTinyShakespeare();
    expect(text.length).toBe(1115394);
    expect(CharTokenizer.fromText(text).vocabSize).toBe(65);
    const { train, val } = readTinyShakespeareSplits();
    expect(train.length).toBe(1003854);
    expect(train + val).toBe(text);
  });
});

describe.skipIf(!dataDir)('tokenizers on the real data', () => {
  it('splits PTB-tokenised SST-2 sentences into their own tokens (≥ 99 %)', () => {
    const sentences = readSst2Sentences('train');
    const same = sentences.filter(({ text }) => splitWords(text).join(' ') === text.split(/\s+/).join(' ')).length;
    expect(same / sentences.length).toBeGreaterThan(0.99);
  });

  it('learns 2,000 BPE merges on the GLUE SST-2 train text quickly and round-trips the dev set', () => {
    const train = readSst2Glue('train').map((x) => x.text);
    const start = performance.now();
    const bpe = BpeTokenizer.train(train, { numMerges: 2000 });
    const seconds = (performance.now() - start) / 1000;
    expect(bpe.numMerges).toBe(2000);
    expect(seconds).toBeLessThan(20); // about 1 s on one core; a from-scratch recount per merge takes minutes
    const seen = new Set(train.flatMap((t) => [...t]));
    let unseen = 0;
    for (const { text } of readSst2Glue('dev')) {
      const ids = bpe.encode(text);
      if ([...text].every((c) => seen.has(c))) expect(bpe.decode(ids)).toBe(text);
      else {
        unseen++; // three dev sentences hold a character never seen in train (ö, à, %): it becomes <unk>
        expect(ids).toContain(bpe.unkId);
      }
    }
    expect(unseen).toBe(3);
  });
});

describe('reader errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recurrent-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'sst2', 'sentence-level'), { recursive: true });
  mkdirSync(join(dir, 'sst2', 'glue'), { recursive: true });
  mkdirSync(join(dir, 'imdb'), { recursive: true });

  it('names the file and line of a malformed line', () => {
    writeFileSync(join(dir, 'sst2/sentence-level/stsa.binary.dev'), '1 fine line .\n2 bad label .\n');
    expect(() => readSst2Sentences('dev', { dataDir: dir })).toThrow(FormatError);
    expect(() => readSst2Sentences('dev', { dataDir: dir })).toThrow(
      /stsa\.binary\.dev:2: label must be 0 or 1, got "2"/,
    );
    writeFileSync(join(dir, 'sst2/sentence-level/stsa.binary.test'), '1 ok\nnolabel\n');
    expect(() => readSst2Sentences('test', { dataDir: dir })).toThrow(
      /stsa\.binary\.test:2: expected "<0\|1> <sentence>"/,
    );
    writeFileSync(join(dir, 'sst2/glue/dev.tsv'), 'sentence\tlabel\ngood \t1\nno tab here\n');
    expect(() => readSst2Glue('dev', { dataDir: dir })).toThrow(/dev\.tsv:3: expected "<sentence><TAB><0\|1>"/);
    writeFileSync(join(dir, 'sst2/glue/train.tsv'), 'text\tlabel\n');
    expect(() => readSst2Glue('train', { dataDir: dir })).toThrow(/train\.tsv:1: expected the header/);
    const good = JSON.stringify({ id: 0, rating: 9, label: 1, text: 'fine' });
    writeFileSync(join(dir, 'imdb/train.part1-of-1.jsonl.gz'), gzipSync(`${good}\n{"id": 1, "rating"\n`));
    expect(() => readImdb('train', { dataDir: dir })).toThrow(/imdb\/train\.part1-of-1\.jsonl\.gz:2: not valid JSON/);
    writeFileSync(join(dir, 'imdb/test.part1-of-2.jsonl.gz'), gzipSync(`${good}\n`));
    expect(() => readImdb('test', { dataDir: dir })).toThrow(/test\.part2-of-2\.jsonl\.gz is missing/);
  });

  it('explains how to point at the data when it is missing', () => {
    expect(() => readTinyShakespeare({ dataDir: dir })).toThrow(DatasetNotFoundError);
    expect(() => readTinyShakespeare({ dataDir: dir })).toThrow(
      /tinyshakespeare: .*input\.txt does not exist\. Pass \{ dataDir \} or set RECURRENT_DATA/,
    );
    expect(() => readImdb('train', { dataDir: join(dir, 'nowhere') })).toThrow(
      /dataset folder .*nowhere does not exist/,
    );
  });

  it('splits text by position', () => {
    expect(splitTrainVal('abcdefghij')).toEqual({ train: 'abcdefghi', val: 'j' });
    expect(() => splitTrainVal('abc', 1)).toThrow(/trainFraction/);
  });
});
