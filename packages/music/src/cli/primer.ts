// Node: read a --primer file (.mid / .midi / .abc) for `generate` (the conversions are primer/primer.ts's).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from '@recurrent/core/node';
import type { NoteSequence } from '../note-sequence.js';
import type { PianoRoll } from '../roll/piano-roll.js';
import {
  primerAbcFromBytes,
  primerFormatOf,
  primerNotesFromBytes,
  primerRollFromBytes,
  type PrimerFormat,
} from '../primer/primer.js';

export type { PrimerFormat };

/** The format of a primer path by its extension (UsageError for any other). */
export function primerFormat(path: string): PrimerFormat {
  const format = primerFormatOf(path);
  if (format === null) {
    const ext = extname(path).toLowerCase();
    throw new UsageError(`--primer ${path}: expected a .mid, .midi or .abc file, got '${ext || 'no extension'}'`);
  }
  return format;
}

function readPrimerFile(path: string): Uint8Array {
  primerFormat(path);
  if (!existsSync(path)) throw new UsageError(`--primer ${path}: no such file`);
  if (!statSync(path).isFile()) throw new UsageError(`--primer ${path}: not a file`);
  const bytes = readFileSync(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A primer as notes quantised on `stepsPerQuarter` (FormatError naming the file when it is malformed). */
export function readPrimerNotes(path: string, stepsPerQuarter: number): NoteSequence {
  return primerNotesFromBytes(readPrimerFile(path), path, stepsPerQuarter);
}

/** A primer as a piano roll on the model's grid (notes outside the 88 keys dropped) and its tempo. */
export function readPrimerRoll(path: string, stepsPerQuarter: number): { roll: PianoRoll; qpm: number } {
  return primerRollFromBytes(readPrimerFile(path), path, stepsPerQuarter);
}

/**
 * A primer as ABC text for the folk model: an .abc file's first tune as written; a .mid file's notes written as
 * ABC (it must be monophonic).
 */
export function readPrimerAbc(path: string): string {
  return primerAbcFromBytes(readPrimerFile(path), path);
}
