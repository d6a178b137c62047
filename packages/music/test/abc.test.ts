import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@recurrent/core';
import {
  abcPlayability,
  abcToNoteSequence,
  midiToNoteSequence,
  noteSequenceToAbc,
  noteSequenceToMidi,
  quantizeNoteSequence,
  splitAbcTunes,
  validateNoteSequence,
} from '../src/index.js';
import { dataPath, note, sequence } from './helpers.js';

const irish = (): string[] => splitAbcTunes(readFileSync(dataPath('irish-folk-abc', 'irish.abc'), 'utf8'));

describe('irish.abc', () => {
  it('splits into the 804 tunes of SOURCE.md (X: headers), blank lines inside a tune removed', () => {
    const tunes = irish();
    expect(tunes.length).toBe(804);
    expect(tunes.every((t) => t.startsWith('X:') && !/\n\s*\n/.test(t))).toBe(true);
    expect(tunes[0]!.split('\n').slice(0, 3)).toEqual(['X:1', "T:Alexander's", 'Z: id:dc-hornpipe-1']);
  });

  it("parses the first tune (Alexander's hornpipe, D major, cut time) with repeats and triplets expanded", () => {
    const seq = abcToNoteSequence(irish()[0]!, { source: 'irish.abc#1', stepsPerQuarter: 12 });
    validateNoteSequence(seq);
    expect(seq.title).toBe("Alexander's");
    expect(seq.keySignatures).toEqual([{ time: 0, key: 2, mode: 'major' }]);
    expect(seq.timeSignatures).toEqual([{ time: 0, numerator: 2, denominator: 2 }]);
    // (3ABc — a triplet of eighths in the time of two: each 2/3 of an eighth = 4 steps of 12 per quarter
    expect(seq.notes.slice(0, 4).map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep])).toEqual([
      [69, 0, 4],
      [71, 4, 8],
      [73, 8, 12],
      [74, 12, 18], // d, an eighth; F and C are sharp in D major
    ]);
    const pitchClasses = new Set(seq.notes.map((n) => n.pitch % 12));
    expect(pitchClasses.has(5) || pitchClasses.has(0)).toBe(false); // no F♮ or C♮ in this tune
    // both repeated parts are played twice: more notes than written
    const written = (
      irish()[0]!
        .split('K:')[1]!
        .match(/[A-Ga-g]/g) ?? []
    ).length;
    expect(seq.notes.length).toBeGreaterThan(written);
  });

  it('a sample of real tunes parses and plays (every 8th tune); the whole file is 801/804 (see README)', () => {
    const tunes = irish().filter((_, i) => i % 8 === 0);
    const result = abcPlayability(tunes);
    expect(result.total).toBe(101);
    expect(result.share).toBeGreaterThan(0.97);
    for (const f of result.failures) expect(f.reason).toMatch(/ABC error/);
  });
});

describe('malformed ABC is a clear error', () => {
  it('names the text and the problem', () => {
    expect(() => abcToNoteSequence('hello world', { source: 'x.abc' })).toThrowError(FormatError);
    expect(() => abcToNoteSequence('hello world', { source: 'x.abc' })).toThrowError(
      /x\.abc: ABC error: .*Unknown character ignored: .*hello world \(and 7 more\)/,
    );
    expect(() => abcToNoteSequence('', { source: 'x.abc' })).toThrowError(
      /x\.abc: (no ABC tune found|the ABC tune has no notes)/,
    );
    expect(() => abcToNoteSequence('X:1\nT:empty\nK:C\n', { source: 'x.abc' })).toThrowError(
      /x\.abc: the ABC tune has no notes/,
    );
    expect(() => abcToNoteSequence('X:1\nT:x\nM:4/4\nK:Q#\nab&&&**c3/0|\n', { source: 'x.abc' })).toThrowError(
      /Unknown parameter/,
    );
    expect(() => abcToNoteSequence('X:1\nK:C\nabc|\n\nX:2\nK:C\ndef|\n')).toThrowError(ValueError);
  });

  it('strict: false accepts what abcjs can play despite warnings', () => {
    const seq = abcToNoteSequence('X:1\nT:x\nK:C\nC D #E|\n', { strict: false });
    expect(seq.notes.map((n) => n.pitch)).toEqual([60, 62, 64]);
  });
});

describe('NoteSequence → ABC', () => {
  it('writes a monophonic tune that abcjs reads back note for note (accidentals, rests, ties over bar lines)', () => {
    const notes = [
      note(60, 0, 0.25),
      note(61, 0.25, 0.5), // C#: sharp
      note(60, 0.5, 1), // C natural after C# in the same bar
      note(79, 1.5, 2.5), // G5 over the bar line (bar = 2 s at 120 qpm) → tied
      note(48, 3, 3.5),
      note(86, 3.5, 4),
    ];
    const seq = quantizeNoteSequence(sequence(notes), 4);
    const abc = noteSequenceToAbc(seq, { title: 'test' });
    expect(abc).toContain('K:C');
    expect(abc).toMatch(/\^C2/);
    expect(abc).toMatch(/=C4/);
    expect(abc).toMatch(/g4-\s*\|\s*g4/);
    const back = abcToNoteSequence(abc, { stepsPerQuarter: 4 });
    expect(back.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep])).toEqual(
      seq.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep]),
    );
    expect(back.tempos[0]!.qpm).toBe(120);
  });

  it('every 16th tune of irish.abc comes back note for note from the ABC we write (all 801 do, see README)', () => {
    const tunes = irish().filter((_, i) => i % 16 === 5);
    for (const tune of tunes) {
      const seq = abcToNoteSequence(tune, { stepsPerQuarter: 4 });
      const back = abcToNoteSequence(noteSequenceToAbc(seq), { stepsPerQuarter: 4 });
      expect(back.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep])).toEqual(
        seq.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep]),
      );
    }
  });

  it('a real tune survives ABC → notes → ABC → notes and → MIDI → notes', () => {
    const tune = irish()[3]!;
    const seq = abcToNoteSequence(tune, { stepsPerQuarter: 4 });
    const again = abcToNoteSequence(noteSequenceToAbc(seq), { stepsPerQuarter: 4 });
    expect(again.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep])).toEqual(
      seq.notes.map((n) => [n.pitch, n.quantizedStartStep, n.quantizedEndStep]),
    );
    const viaMidi = midiToNoteSequence(noteSequenceToMidi(seq), { stepsPerQuarter: 4 });
    expect(viaMidi.notes.map((n) => [n.pitch, n.quantizedStartStep])).toEqual(
      seq.notes.map((n) => [n.pitch, n.quantizedStartStep]),
    );
  });

  it('refuses chords and unquantised sequences', () => {
    expect(() => noteSequenceToAbc(sequence([note(60, 0, 1)]))).toThrowError(/not quantised/);
    const chord = quantizeNoteSequence(sequence([note(60, 0, 1), note(64, 0, 1)]), 4);
    expect(() => noteSequenceToAbc(chord)).toThrowError(/only one voice/);
  });
});
