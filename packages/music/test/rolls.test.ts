import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError, ValueError } from '@recurrent/core';
import {
  createPianoRoll,
  noteSequenceToRoll,
  parsePianoRollSplits,
  rollFromPitchLists,
  rollToNoteSequence,
  rollToPitchLists,
  sliceRoll,
  concatRolls,
  validatePianoRoll,
  midiToNoteSequence,
  noteSequenceToMidi,
} from '../src/index.js';
import { note, sequence } from './helpers.js';

describe('piano rolls', () => {
  it('pitch lists ↔ roll (key k = MIDI 21 + k; unisons count once)', () => {
    const roll = rollFromPitchLists([[60, 64, 67], [], [21, 108, 108]]);
    expect(roll.frames).toBe(3);
    expect(roll.keys[0 * 88 + 39]).toBe(1);
    expect(roll.keys[2 * 88 + 0]).toBe(1);
    expect(roll.keys[2 * 88 + 87]).toBe(1);
    expect(roll.keys.reduce((s, v) => s + v, 0)).toBe(5);
    expect(rollToPitchLists(roll)).toEqual([[60, 64, 67], [], [21, 108]]);
    expect(rollToPitchLists(concatRolls([sliceRoll(roll, 2), sliceRoll(roll, 0, 1)]))).toEqual([
      [21, 108],
      [60, 64, 67],
    ]);
  });

  it('rejects pitches off the piano and bad shapes with the place named', () => {
    expect(() => rollFromPitchLists([[60], [20]], 'piece')).toThrowError(/piece\[1\]: 20 is not a piano MIDI pitch/);
    expect(() => rollFromPitchLists([[60.5]], 'piece')).toThrowError(ValueError);
    expect(() => validatePianoRoll({ frames: 2, keys: new Uint8Array(100) }, 'r')).toThrowError(ShapeError);
    expect(() => validatePianoRoll({ frames: 1, keys: new Uint8Array(88).fill(2) }, 'r')).toThrowError(
      /r: frame 0, key 0 is 2/,
    );
  });

  it('NoteSequence → roll at steps per quarter and at frames per second, and back', () => {
    // 120 qpm: a quarter is 0.5 s; at 4 steps per quarter a step is 0.125 s
    const seq = sequence([note(60, 0, 0.5), note(64, 0.25, 0.5), note(60, 0.5, 0.75), note(100, 1, 1.125)]);
    const roll = noteSequenceToRoll(seq, { stepsPerQuarter: 4 });
    expect(roll.frames).toBe(9);
    const lists = rollToPitchLists(roll);
    expect(lists).toEqual([[60], [60], [60, 64], [60, 64], [60], [60], [], [], [100]]);
    const back = rollToNoteSequence(roll, { stepsPerQuarter: 4 }, { qpm: 120 });
    // the two C4s touch, so the roll merges them into one note
    expect(back.notes.map((n) => [n.pitch, n.startTime, n.endTime, n.quantizedStartStep, n.quantizedEndStep])).toEqual([
      [60, 0, 0.75, 0, 6],
      [64, 0.25, 0.5, 2, 4],
      [100, 1, 1.125, 8, 9],
    ]);
    const bySeconds = noteSequenceToRoll(seq, { framesPerSecond: 8 });
    expect(rollToPitchLists(bySeconds)).toEqual(lists);
    // roll → notes → MIDI → notes → roll is the identity
    const viaMidi = midiToNoteSequence(noteSequenceToMidi(back), { stepsPerQuarter: 4 });
    expect(rollToPitchLists(noteSequenceToRoll(viaMidi, { stepsPerQuarter: 4 }))).toEqual(lists);
  });

  it('notes off the piano: an error by default, dropped on request; drums left out', () => {
    const seq = sequence([note(10, 0, 0.5), note(60, 0, 0.5), note(38, 0, 0.5, { isDrum: true, instrument: 1 })]);
    expect(() => noteSequenceToRoll(seq, { stepsPerQuarter: 4 })).toThrowError(
      /note 0 has pitch 10, outside the piano's 21\.\.108/,
    );
    expect(rollToPitchLists(noteSequenceToRoll(seq, { stepsPerQuarter: 4 }, { outOfRange: 'drop' }))[0]).toEqual([60]);
    expect(createPianoRoll(0).keys.length).toBe(0);
  });

  it('dataset JSON with a bad entry is a FormatError naming the path', () => {
    expect(() => parsePianoRollSplits([], 'x.json')).toThrowError(/x\.json: expected a JSON object/);
    expect(() => parsePianoRollSplits({ train: [], valid: [] }, 'x.json')).toThrowError(
      /x\.json: "test" must be a list of pieces/,
    );
    expect(() =>
      parsePianoRollSplits({ train: [[[60]]], valid: [], test: [[[60], [61, 130]]] }, 'x.json'),
    ).toThrowError(FormatError);
    expect(() =>
      parsePianoRollSplits({ train: [[[60]]], valid: [], test: [[[60], [61, 130]]] }, 'x.json'),
    ).toThrowError(/x\.json: test\[0\]\[1\]: 130 is not a piano MIDI pitch/);
  });
});
