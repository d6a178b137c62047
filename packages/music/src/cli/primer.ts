// Node: read a --primer file (.mid / .midi / .abc) for `generate`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { FormatError, ValueError } from '@recurrent/core';
import { UsageError } from '@recurrent/core/node';
import { midiToNoteSequence } from '../midi/read.js';
import { abcToNoteSequence } from '../abc/parse.js';
import { splitAbcTunes } from '../abc/split.js';
import { noteSequenceToAbc } from '../abc/write.js';
import { initialQpm, type NoteSequence } from '../note-sequence.js';
import { noteSequenceToRoll } from '../roll/convert.js';
import type { PianoRoll } from '../roll/piano-roll.js';

export type PrimerFormat = 'midi' | 'abc';

/** The format of a primer path by its extension (UsageError for any other). */
export function primerFormat(path: string): PrimerFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.mid' || ext === '.midi') return 'midi';
  if (ext === '.abc') return 'abc';
  throw new UsageError(`--primer ${path}: expected a .mid, .midi or .abc file, got '${ext || 'no extension'}'`);
}

function readPrimerFile(path: string): Buffer {
  primerFormat(path);
  if (!existsSync(path)) throw new UsageError(`--primer ${path}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`--primer ${path}: not a file`);
  return readFileSync(path);
}

/** The first tune of an .abc file as text (FormatError from the ABC reader when it does not parse). */
function firstAbcTune(path: string, text: string): string {
  const tune = splitAbcTunes(text)[0] ?? text;
  abcToNoteSequence(tune, { source: path });
  return tune.endsWith('\n') ? tune : `${tune}\n`;
}

/** A primer as notes quantised on `stepsPerQuarter` (FormatError naming the file when it is malformed). */
export function readPrimerNotes(path: string, stepsPerQuarter: number): NoteSequence {
  const bytes = readPrimerFile(path);
  if (primerFormat(path) === 'midi') {
    return midiToNoteSequence(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      source: path,
      stepsPerQuarter,
    });
  }
  return abcToNoteSequence(firstAbcTune(path, bytes.toString('utf8')), { source: path, stepsPerQuarter });
}

/** A primer as a piano roll on the model's grid (notes outside the 88 keys dropped) and its tempo. */
export function readPrimerRoll(path: string, stepsPerQuarter: number): { roll: PianoRoll; qpm: number } {
  const seq = readPrimerNotes(path, stepsPerQuarter);
  return { roll: noteSequenceToRoll(seq, { stepsPerQuarter }, { outOfRange: 'drop' }), qpm: initialQpm(seq) };
}

/**
 * A primer as ABC text for the folk model: an .abc file's first tune as written; a .mid file's notes written as
 * ABC (it must be monophonic).
 */
export function readPrimerAbc(path: string): string {
  const bytes = readPrimerFile(path);
  if (primerFormat(path) === 'abc') return firstAbcTune(path, bytes.toString('utf8'));
  const seq = midiToNoteSequence(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    source: path,
    stepsPerQuarter: 4,
  });
  try {
    return noteSequenceToAbc(seq);
  } catch (e) {
    if (e instanceof ValueError) throw new FormatError(`${path}: cannot be a folk-tune primer: ${e.message}`);
    throw e;
  }
}
