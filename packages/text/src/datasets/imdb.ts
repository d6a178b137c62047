import { FormatError, ValueError } from '@recurrent/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetNotFoundError, dataFile, splitLines, type DataDirOption } from './data-dir.js';
import type { LabelledText } from './types.js';

export type ImdbSplit = 'train' | 'test';

/** One IMDB review: label 0 = negative (rating 1–4), 1 = positive (rating 7–10). */
export interface ImdbReview extends LabelledText {
  /** Id from the original file name, unique within (split, label). */
  id: number;
  /** Star rating 1–10. */
  rating: number;
}

export interface ImdbOptions extends DataDirOption {
  /** Read only these parts (1-based; each part is a class-balanced quarter of the split). Default: all. */
  parts?: number[];
  /** Replace each run of `<br />` tags with one space (default true). */
  stripHtml?: boolean;
}

const PART_RE = /^(train|test)\.part(\d+)-of-(\d+)\.jsonl\.gz$/;

/** The part files of a split in part order, checking none is missing. */
function partFiles(dir: string, split: ImdbSplit): string[] {
  const found = new Map<number, string>();
  let total = 0;
  for (const name of readdirSync(dir)) {
    const m = PART_RE.exec(name);
    if (!m || m[1] !== split) continue;
    found.set(Number(m[2]), name);
    total = Number(m[3]);
  }
  if (found.size === 0) throw new DatasetNotFoundError(`IMDB: no ${split}.part*-of-*.jsonl.gz files in ${dir}`);
  for (let k = 1; k <= total; k++)
    if (!found.has(k))
      throw new DatasetNotFoundError(`IMDB: ${split}.part${k}-of-${total}.jsonl.gz is missing in ${dir}`);
  return Array.from({ length: total }, (_, k) => found.get(k + 1)!);
}

/** One JSON line of `file` (1-based `lineNo`, for errors) as a review. */
function parseReview(line: string, at: { file: string; lineNo: number; stripHtml: boolean }): ImdbReview {
  const { file, lineNo, stripHtml } = at;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new FormatError(`${file}:${lineNo}: not valid JSON (${(e as Error).message})`);
  }
  const r = o as Record<string, unknown>;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.text !== 'string' ||
    !Number.isInteger(r.id) ||
    !Number.isInteger(r.rating) ||
    (r.label !== 0 && r.label !== 1)
  ) {
    throw new FormatError(
      `${file}:${lineNo}: expected {"id": int, "rating": int, "label": 0|1, "text": string}, got ${line.slice(0, 80)}`,
    );
  }
  const text = stripHtml ? (r.text as string).replace(/(?:\s*<br\s*\/?>\s*)+/gi, ' ').trim() : (r.text as string);
  return { id: r.id as number, rating: r.rating as number, label: r.label as number, text };
}

/**
 * IMDB Large Movie Review Dataset (imdb/{train,test}.part{1..4}-of-4.jsonl.gz): 25,000 reviews per split,
 * balanced. Records are split on \n only, since some texts contain U+0085.
 */
export function readImdb(split: ImdbSplit, options: ImdbOptions = {}): ImdbReview[] {
  if (split !== 'train' && split !== 'test')
    throw new ValueError(`IMDB split must be "train" or "test", got ${JSON.stringify(split)}`);
  const dir = dataFile('IMDB', 'imdb', options);
  const files = partFiles(dir, split);
  const parts = options.parts ?? files.map((_, k) => k + 1);
  for (const p of parts) {
    if (!Number.isInteger(p) || p < 1 || p > files.length)
      throw new ValueError(`IMDB parts must be integers in 1..${files.length}, got ${p}`);
  }
  const out: ImdbReview[] = [];
  for (const p of parts) {
    const name = files[p - 1]!;
    let text: string;
    try {
      text = gunzipSync(readFileSync(join(dir, name))).toString('utf8');
    } catch (e) {
      throw new FormatError(`imdb/${name}: cannot decompress (${(e as Error).message})`);
    }
    splitLines(text).forEach((line, i) => {
      if (line.trim() === '') return;
      out.push(parseReview(line, { file: `imdb/${name}`, lineNo: i + 1, stripHtml: options.stripHtml ?? true }));
    });
  }
  return out;
}
