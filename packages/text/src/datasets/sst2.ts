import { FormatError, ValueError } from '@recurrent/core';
import { basename } from 'node:path';
import { dataFile, readText, splitLines, type DataDirOption } from './data-dir.js';
import { unescapePtb } from './ptb.js';
import type { LabelledText } from './types.js';

export type Sst2Split = 'train' | 'dev' | 'test';

export interface Sst2Options extends DataDirOption {
  /** Replace the PTB escapes -lrb- -rrb- -lsb- -rsb- -lcb- -rcb- and \/ with ( ) [ ] { } / (default false). */
  unescapePtb?: boolean;
}

function checkSplit(split: string, allowed: readonly string[]): void {
  if (!allowed.includes(split))
    throw new ValueError(`SST-2 split must be one of ${allowed.join(', ')}, got ${JSON.stringify(split)}`);
}

/** The 0/1 label `raw` read from `line` (1-based `lineNo` of `file`, for errors). */
function parseLabel(raw: string, at: { file: string; lineNo: number; line: string }): number {
  const { file, lineNo, line } = at;
  if (raw !== '0' && raw !== '1')
    throw new FormatError(
      `${file}:${lineNo}: label must be 0 or 1, got ${JSON.stringify(raw)} in ${JSON.stringify(line.slice(0, 80))}`,
    );
  return Number(raw);
}

/**
 * Sentence-level SST-2 (sentence-level/stsa.binary.{train,dev,test}: "<label> <sentence>" per line; 6,920 / 872 /
 * 1,821 sentences, all labelled). Text is lower-cased and PTB-tokenised as stored.
 */
export function readSst2Sentences(split: Sst2Split, options: Sst2Options = {}): LabelledText[] {
  checkSplit(split, ['train', 'dev', 'test']);
  const path = dataFile('SST-2 (sentence-level)', `sst2/sentence-level/stsa.binary.${split}`, options);
  const file = `sst2/sentence-level/${basename(path)}`;
  return splitLines(readText(path)).map((line, i) => {
    const m = /^(\S+) (.*\S.*)$/.exec(line);
    if (!m)
      throw new FormatError(`${file}:${i + 1}: expected "<0|1> <sentence>", got ${JSON.stringify(line.slice(0, 80))}`);
    const label = parseLabel(m[1]!, { file, lineNo: i + 1, line });
    const text = m[2]!.trim();
    return { text: options.unescapePtb ? unescapePtb(text) : text, label };
  });
}

/**
 * GLUE SST-2 (glue/{train,dev}.tsv, header "sentence<TAB>label"; train 67,349 phrases and sentences, dev 872).
 * The stored sentence ends with a space before the tab; it is trimmed. The GLUE test split is unlabelled: use
 * readSst2GlueTest.
 */
export function readSst2Glue(split: 'train' | 'dev', options: DataDirOption = {}): LabelledText[] {
  checkSplit(split, ['train', 'dev']);
  const path = dataFile('SST-2 (GLUE)', `sst2/glue/${split}.tsv`, options);
  const file = `sst2/glue/${basename(path)}`;
  const lines = splitLines(readText(path));
  if (lines[0] !== 'sentence\tlabel')
    throw new FormatError(
      `${file}:1: expected the header "sentence<TAB>label", got ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`,
    );
  const out: LabelledText[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const tab = line.lastIndexOf('\t');
    const text = tab > 0 ? line.slice(0, tab).trim() : '';
    if (tab < 0 || text === '')
      throw new FormatError(
        `${file}:${i + 1}: expected "<sentence><TAB><0|1>", got ${JSON.stringify(line.slice(0, 80))}`,
      );
    out.push({ text, label: parseLabel(line.slice(tab + 1), { file, lineNo: i + 1, line }) });
  }
  return out;
}

/** The unlabelled GLUE SST-2 test split (glue/test.tsv, header "index<TAB>sentence", 1,821 rows). */
export function readSst2GlueTest(options: DataDirOption = {}): { index: number; text: string }[] {
  const path = dataFile('SST-2 (GLUE)', 'sst2/glue/test.tsv', options);
  const file = 'sst2/glue/test.tsv';
  const lines = splitLines(readText(path));
  if (lines[0] !== 'index\tsentence')
    throw new FormatError(
      `${file}:1: expected the header "index<TAB>sentence", got ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`,
    );
  return lines.slice(1).map((line, i) => {
    const m = /^(\d+)\t(.*\S.*)$/.exec(line);
    if (!m)
      throw new FormatError(
        `${file}:${i + 2}: expected "<index><TAB><sentence>", got ${JSON.stringify(line.slice(0, 80))}`,
      );
    return { index: Number(m[1]), text: m[2]!.trim() };
  });
}
