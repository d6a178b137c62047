// Node-only: Multi30k Task 1 readers (exported from the package's node entry).
import { FormatError, ValueError } from '@recurrent/core';
import { dataFile, readText, splitLines, type DataDirOption } from '../datasets/data-dir.js';

export type Multi30kSplit = 'train' | 'val' | 'test_2016_flickr';
export type Multi30kPair = 'de-en' | 'en-fr';
export type Multi30kLanguage = 'de' | 'en' | 'fr';

export const MULTI30K_SPLITS: readonly Multi30kSplit[] = ['train', 'val', 'test_2016_flickr'];
export const MULTI30K_PAIRS: readonly Multi30kPair[] = ['de-en', 'en-fr'];
/** Sentences per split, as listed in multi30k/SOURCE.md (identical for every language). */
export const MULTI30K_LINES: Readonly<Record<Multi30kSplit, number>> = {
  train: 29_000,
  val: 1_014,
  test_2016_flickr: 1_000,
};

export interface SentencePair {
  source: string;
  target: string;
}

export interface Multi30kOptions extends DataDirOption {
  /** Check the line count against MULTI30K_LINES (default true; switch off for a modified copy of the data). */
  checkLineCount?: boolean;
}

/** The languages of a pair: 'de-en' reads German sources and English targets. */
export function pairLanguages(pair: Multi30kPair): { source: Multi30kLanguage; target: Multi30kLanguage } {
  if (!(MULTI30K_PAIRS as readonly string[]).includes(pair))
    throw new ValueError(`Multi30k: pair must be one of ${MULTI30K_PAIRS.join(', ')}, got ${JSON.stringify(pair)}`);
  const [source, target] = pair.split('-') as [Multi30kLanguage, Multi30kLanguage];
  return { source, target };
}

/**
 * One side of a split, `multi30k/plain/<split>.<lang>`, one sentence per line (original casing, untokenised).
 * FormatError when a line is empty or the count differs from the documented one.
 */
export function readMulti30kSentences(
  split: Multi30kSplit,
  language: Multi30kLanguage,
  options: Multi30kOptions = {},
): string[] {
  if (!(MULTI30K_SPLITS as readonly string[]).includes(split)) {
    throw new ValueError(`Multi30k: split must be one of ${MULTI30K_SPLITS.join(', ')}, got ${JSON.stringify(split)}`);
  }
  if (!['de', 'en', 'fr'].includes(language))
    throw new ValueError(`Multi30k: language must be de, en or fr, got ${JSON.stringify(language)}`);
  const path = dataFile('multi30k', `multi30k/plain/${split}.${language}`, options);
  const lines = splitLines(readText(path)).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const expected = MULTI30K_LINES[split];
  if ((options.checkLineCount ?? true) && lines.length !== expected) {
    throw new FormatError(`${path}: ${lines.length} lines, expected ${expected} (multi30k/SOURCE.md)`);
  }
  const empty = lines.findIndex((l) => l.trim().length === 0);
  if (empty >= 0) throw new FormatError(`${path}: line ${empty + 1} is empty`);
  return lines;
}

/** Line-aligned sentence pairs of a split; FormatError when the two files differ in length. */
export function readMulti30k(split: Multi30kSplit, pair: Multi30kPair, options: Multi30kOptions = {}): SentencePair[] {
  const { source, target } = pairLanguages(pair);
  const src = readMulti30kSentences(split, source, options);
  const tgt = readMulti30kSentences(split, target, options);
  if (src.length !== tgt.length) {
    throw new FormatError(
      `Multi30k ${split}: ${src.length} ${source} lines but ${tgt.length} ${target} lines ` +
        '(the files must be line-aligned)',
    );
  }
  return src.map((s, i) => ({ source: s, target: tgt[i]! }));
}
