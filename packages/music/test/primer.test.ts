import { FormatError, ValueError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import {
  noteSequenceToMidi,
  primerAbcFromBytes,
  primerFormatOf,
  primerNotesFromBytes,
  primerRollFromBytes,
  rollToPitchLists,
} from '../src/index.js';
import { note, sequence } from './helpers.js';

const TUNE = 'X:1\nT:Up\nM:4/4\nL:1/4\nK:C\nCDEF|G4|]\n';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('primers from bytes (what the CLI reads from a file and the demo from an upload)', () => {
  it('knows .mid, .midi and .abc by extension, in any case', () => {
    expect(primerFormatOf('a.MID')).toBe('midi');
    expect(primerFormatOf('x/y.midi')).toBe('midi');
    expect(primerFormatOf('tune.abc')).toBe('abc');
    expect(primerFormatOf('notes.txt')).toBeNull();
    expect(primerFormatOf('mid')).toBeNull();
    expect(() => primerRollFromBytes(bytes('hello'), 'notes.txt', 1)).toThrow(ValueError);
  });

  it('an ABC tune becomes a roll on the model grid and stays text for the folk model', () => {
    const { roll, qpm } = primerRollFromBytes(bytes(TUNE), 'up.abc', 1);
    expect(roll.frames).toBe(8);
    expect(rollToPitchLists(roll).slice(0, 5)).toEqual([[60], [62], [64], [65], [67]]);
    expect(qpm).toBe(120);
    expect(primerAbcFromBytes(bytes(`${TUNE}\nX:2\nK:C\nC|]\n`), 'book.abc')).toBe(TUNE);
  });

  it('a MIDI file becomes a roll, and ABC when it is monophonic', () => {
    const mono = noteSequenceToMidi(sequence([note(60, 0, 0.5), note(64, 0.5, 1)]));
    const roll = primerRollFromBytes(mono, 'two.mid', 2).roll;
    // a quarter note each at 120 qpm, 2 steps a quarter
    expect(rollToPitchLists(roll)).toEqual([[60], [60], [64], [64]]);
    expect(primerNotesFromBytes(mono, 'two.mid', 2).notes.map((n) => n.pitch)).toEqual([60, 64]);
    expect(primerAbcFromBytes(mono, 'two.mid')).toMatch(/^X:1\n/);
    const chord = noteSequenceToMidi(sequence([note(60, 0, 1), note(64, 0, 1)]));
    expect(() => primerAbcFromBytes(chord, 'chord.mid')).toThrow(/chord\.mid: cannot be a folk-tune primer/);
  });

  it('text, empty and truncated files are a FormatError naming the file', () => {
    const midi = noteSequenceToMidi(sequence([note(60, 0, 0.5), note(64, 0.5, 1)]));
    const cases: [Uint8Array, string][] = [
      [bytes('this is not a MIDI file at all'), 'text.mid'],
      [new Uint8Array(0), 'empty.mid'],
      [midi.subarray(0, midi.length - 9), 'cut.mid'],
      [new Uint8Array(0), 'empty.abc'],
      [bytes('hello world'), 'words.abc'],
    ];
    for (const [data, name] of cases) {
      expect(() => primerRollFromBytes(data, name, 1), name).toThrow(FormatError);
      expect(() => primerRollFromBytes(data, name, 1), name).toThrow(name);
    }
  });
});
