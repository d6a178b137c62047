// A primer (a .mid / .midi / .abc file's bytes) for generation, browser-safe: the CLI reads it from a file
// (cli/primer.ts), a page from an upload. Malformed files are a FormatError naming the file and the problem.
import { FormatError, ValueError } from '@recurrent/core';
import { midiToNoteSequence } from '../midi/read.js';
import { abcToNoteSequence } from '../abc/parse.js';
import { splitAbcTunes } from '../abc/split.js';
import { noteSequenceToAbc } from '../abc/write.js';
import { initialQpm, type NoteSequence } from '../note-sequence.js';
import { noteSequenceToRoll } from '../roll/convert.js';
import type { PianoRoll } from '../roll/piano-roll.js';

export type PrimerFormat = 'midi' | 'abc';

/** The primer format of a file name by its extension (.mid, .midi, .abc; any case), or null for any other. */
export function primerFormatOf(name: string): PrimerFormat | null {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot).toLowerCase() : '';
  if (ext === '.mid' || ext === '.midi') return 'midi';
  if (ext === '.abc') return 'abc';
  return null;
}

function formatOf(name: string): PrimerFormat {
  const format = primerFormatOf(name);
  if (format === null) throw new ValueError(`${name}: expected a .mid, .midi or .abc file`);
  return format;
}

/** The first tune of an ABC text, checked (FormatError from the ABC reader when it does not parse or play). */
function firstAbcTune(name: string, text: string): string {
  const tune = splitAbcTunes(text)[0] ?? text;
  abcToNoteSequence(tune, { source: name });
  return tune.endsWith('\n') ? tune : `${tune}\n`;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A primer file's notes quantised on `stepsPerQuarter` (an .abc file: its first tune). */
export function primerNotesFromBytes(bytes: Uint8Array, name: string, stepsPerQuarter: number): NoteSequence {
  if (formatOf(name) === 'midi') return midiToNoteSequence(bytes, { source: name, stepsPerQuarter });
  return abcToNoteSequence(firstAbcTune(name, utf8(bytes)), { source: name, stepsPerQuarter });
}

/** A primer file as a piano roll on a model's grid (notes outside the 88 keys dropped) and its tempo. */
export function primerRollFromBytes(
  bytes: Uint8Array,
  name: string,
  stepsPerQuarter: number,
): { roll: PianoRoll; qpm: number } {
  const seq = primerNotesFromBytes(bytes, name, stepsPerQuarter);
  return { roll: noteSequenceToRoll(seq, { stepsPerQuarter }, { outOfRange: 'drop' }), qpm: initialQpm(seq) };
}

/**
 * A primer file as ABC text for the folk model: an .abc file's first tune as written; a MIDI file's notes written
 * as ABC (it must be monophonic: FormatError otherwise).
 */
export function primerAbcFromBytes(bytes: Uint8Array, name: string): string {
  if (formatOf(name) === 'abc') return firstAbcTune(name, utf8(bytes));
  const seq = midiToNoteSequence(bytes, { source: name, stepsPerQuarter: 4 });
  try {
    return noteSequenceToAbc(seq);
  } catch (e) {
    if (e instanceof ValueError) throw new FormatError(`${name}: cannot be a folk-tune primer: ${e.message}`);
    throw e;
  }
}
