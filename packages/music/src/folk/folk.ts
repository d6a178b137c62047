import { ValueError, type ReportProgress } from '@recurrent/core';
import {
  CharTokenizer,
  LanguageModel,
  type LanguageModelArchitecture,
  type LanguageModelOptions,
} from '@recurrent/text';
import { abcPlayability, abcToNoteSequence, type AbcPlayability, type ParseAbcOptions } from '../abc/parse.js';
import type { NoteSequence } from '../note-sequence.js';

/** Tunes as one training text, in the layout of irish.abc: each tune ends with a newline, a blank line between. */
export function abcCorpus(tunes: readonly string[]): string {
  return tunes.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('\n');
}

/** The character vocabulary of a set of tunes (newline included: it separates lines and tunes). */
export function folkTokenizer(tunes: readonly string[]): CharTokenizer {
  return CharTokenizer.fromText(abcCorpus(tunes));
}

/**
 * The folk-tune model: @recurrent/text's character LanguageModel over ABC text (the MIT 6.S191 lab 1 model), whose
 * start context is a newline — what precedes `X:` in the corpus.
 */
export function createFolkModel(
  tokenizer: CharTokenizer,
  architecture: Partial<Omit<LanguageModelArchitecture, 'vocabSize' | 'startIds'>> = {},
  options: LanguageModelOptions = {},
): LanguageModel {
  if (tokenizer.unknownTokens('\n').length > 0)
    throw new ValueError('createFolkModel: the tokenizer has no newline character; build it with folkTokenizer(tunes)');
  return new LanguageModel(tokenizer, { ...architecture, startIds: tokenizer.encode('\n') }, options);
}

export interface GenerateTunesOptions {
  /** Tunes to write (default 1). */
  count?: number;
  /** Text each tune starts from (default 'X:1\n'); a user's primer tune goes here. */
  primer?: string;
  /** Characters to sample at most per tune (default 1,000); a tune ends earlier at a blank line. */
  maxLength?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Tune i is sampled with seed + i (default 0). */
  seed?: number;
  /** Told (done, count) after each tune (a long sampling's progress lines). */
  progress?: ReportProgress;
  /**
   * Told (characters written, maxLength) after each character of the tune being written (text's `onToken`); a tune
   * that ends at a blank line stops short of maxLength. A UI's progress bar within one tune.
   */
  onToken?: (done: number, total: number) => void;
}

/** Where the corpus ends a tune: a blank line. */
const TUNE_END = '\n\n';

/**
 * Sample ABC tunes: the primer and the model's continuation up to the first blank line (where the corpus ends a
 * tune; sampling stops there, through text's `stop` option, a blank line spanning the primer's final newline
 * included), cut to end with one newline. Deterministic for a seed: the same tunes as sampling `maxLength`
 * characters and then cutting at the first blank line, since a stopped run is a prefix of the full one.
 */
export function generateTunes(model: LanguageModel, options: GenerateTunesOptions = {}): string[] {
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 0)
    throw new ValueError(`generateTunes: count must be a non-negative integer, got ${count}`);
  const primer = options.primer ?? 'X:1\n';
  const seed = options.seed ?? 0;
  const tunes: string[] = [];
  for (let i = 0; i < count; i++) {
    const { text } = model.generate(primer, {
      length: options.maxLength ?? 1000,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: seed + i,
      stop: TUNE_END,
      onToken: options.onToken,
    });
    const full = primer + text;
    const end = full.indexOf(TUNE_END, Math.max(0, primer.length - 1));
    tunes.push(end >= 0 ? full.slice(0, end + 1) : full);
    options.progress?.(i + 1, count);
  }
  return tunes;
}

/** A generated tune as notes (the error says what is wrong with it when it does not parse or play). */
export function generatedTuneToNoteSequence(text: string, options: ParseAbcOptions = {}): NoteSequence {
  return abcToNoteSequence(text, { source: 'generated tune', ...options });
}

export interface FolkEvaluation extends AbcPlayability {
  tunes: string[];
}

/**
 * The folk model's headline metric: generate `count` tunes (default 100) and report the share that parse without
 * abcjs warnings and play at least one note (issue 14's goal: ≥ 95 % at temperature 1).
 */
export function folkPlayability(
  model: LanguageModel,
  options: GenerateTunesOptions & { parse?: ParseAbcOptions } = {},
): FolkEvaluation {
  const tunes = generateTunes(model, { ...options, count: options.count ?? 100 });
  return { ...abcPlayability(tunes, options.parse), tunes };
}
