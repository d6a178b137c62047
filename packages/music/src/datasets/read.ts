import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FormatError, Generator, ValueError } from '@recurrent/core';
import { musicDataPath as dataFile, type DataDirOption } from './data-dir.js';
import { parsePianoRollSplits, type PianoRollSplits } from './piano-roll-json.js';
import { midiToNoteSequence } from '../midi/read.js';
import type { NoteSequence } from '../note-sequence.js';
import { PIANO_ROLL_DATASETS, type PianoRollDatasetName } from './names.js';

export { PIANO_ROLL_DATASETS, type PianoRollDatasetName } from './names.js';

/** Read a `.json` or `.json.gz` file holding JSON; FormatError naming the file when it is not. */
export function readJsonFile(path: string): unknown {
  const bytes = readFileSync(path);
  let text: string;
  try {
    text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (e) {
    throw new FormatError(`${path}: not a gzip file: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A piano-roll file (`.json` or `.json.gz`, the layout of parsePianoRollSplits) from any path. */
export function readPianoRollFile(path: string): PianoRollSplits {
  return parsePianoRollSplits(readJsonFile(path), path);
}

/** One of the piano-roll benchmarks, split as published (train/valid/test). */
export function readPianoRollDataset(name: PianoRollDatasetName, options: DataDirOption = {}): PianoRollSplits {
  const relative = PIANO_ROLL_DATASETS[name];
  if (relative === undefined) {
    throw new ValueError(
      `readPianoRollDataset: unknown dataset ${JSON.stringify(name)}; ` +
        `one of ${Object.keys(PIANO_ROLL_DATASETS).join(', ')}`,
    );
  }
  return readPianoRollFile(dataFile(name, relative, options));
}

/** Which rendering of a Nottingham tune: melody and chords (two tracks), or one of them. */
export type NottinghamPart = 'full' | 'melody' | 'chords';

const NOTTINGHAM_DIRS: Record<NottinghamPart, string> = {
  full: 'nottingham-midi/MIDI',
  melody: 'nottingham-midi/MIDI/melody',
  chords: 'nottingham-midi/MIDI/chords',
};

/** Tune names (`jigs1`, `reelsa-c12`, …) of the Nottingham MIDI files of a part, sorted. */
export function listNottinghamMidi(part: NottinghamPart = 'full', options: DataDirOption = {}): string[] {
  const dir = dataFile('nottingham-midi', NOTTINGHAM_DIRS[part], options);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mid'))
    .map((f) => basename(f, '.mid'))
    .sort();
}

/** The text of irish.abc (MIT 6.S191 lab 1); split it with splitAbcTunes. */
export function readIrishAbc(options: DataDirOption = {}): string {
  return readFileSync(dataFile('irish-folk-abc', 'irish-folk-abc/irish.abc', options), 'utf8');
}

/** One Nottingham MIDI tune as a NoteSequence (quantised when `stepsPerQuarter` is given). */
export function readNottinghamMidi(
  name: string,
  part: NottinghamPart = 'full',
  options: DataDirOption & { stepsPerQuarter?: number } = {},
): NoteSequence {
  const path = join(dataFile('nottingham-midi', NOTTINGHAM_DIRS[part], options), `${name}.mid`);
  if (!existsSync(path))
    throw new ValueError(`readNottinghamMidi: no tune ${JSON.stringify(name)} in ${NOTTINGHAM_DIRS[part]} (${path})`);
  return midiToNoteSequence(readFileSync(path), { source: path, stepsPerQuarter: options.stepsPerQuarter });
}

export interface TuneSplitOptions {
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Share of tunes for validation and for test (default 0.1 each). */
  valid?: number;
  test?: number;
}

/**
 * Tunes split by name with a seeded shuffle (there is no official split of the Nottingham MIDI files or
 * irish.abc): the same names and seed always give the same split, and a tune's melody, chords and full files stay
 * together because they share a name.
 */
export function splitByTune<T>(
  items: readonly T[],
  options: TuneSplitOptions = {},
): Record<'train' | 'valid' | 'test', T[]> {
  const valid = options.valid ?? 0.1;
  const test = options.test ?? 0.1;
  if (!(valid >= 0 && test >= 0 && valid + test < 1))
    throw new ValueError(`splitByTune: valid ${valid} and test ${test} must be ≥ 0 and sum below 1`);
  const order = new Generator(options.seed ?? 0).permutation(items.length);
  const nTest = Math.round(items.length * test);
  const nValid = Math.round(items.length * valid);
  const pick = (from: number, to: number): T[] =>
    order
      .slice(from, to)
      .sort((a, b) => a - b)
      .map((i) => items[i]!);
  return { test: pick(0, nTest), valid: pick(nTest, nTest + nValid), train: pick(nTest + nValid, items.length) };
}
