import { describe, expect, it } from 'vitest';
import {
  rollToPitchLists,
  splitAbcTunes,
  totalFrames,
  validateNoteSequence,
  type PianoRollSplits,
} from '../src/index.js';
import {
  listNottinghamMidi,
  readIrishAbc,
  readNottinghamMidi,
  readPianoRollDataset,
  splitByTune,
  type PianoRollDatasetName,
} from '../src/node.js';

function counts(splits: PianoRollSplits) {
  return {
    train: [splits.train.length, totalFrames(splits.train)],
    valid: [splits.valid.length, totalFrames(splits.valid)],
    test: [splits.test.length, totalFrames(splits.test)],
  };
}

function pitchRange(splits: PianoRollSplits): [number, number, number] {
  let lo = 200;
  let hi = 0;
  let most = 0;
  for (const rolls of Object.values(splits)) {
    for (const roll of rolls) {
      for (const frame of rollToPitchLists(roll)) {
        if (frame.length === 0) continue;
        lo = Math.min(lo, frame[0]!);
        hi = Math.max(hi, frame[frame.length - 1]!);
        most = Math.max(most, frame.length);
      }
    }
  }
  return [lo, hi, most];
}

// Pieces (frames) per split and pitch range / most notes in a frame, as stated in each SOURCE.md.
const EXPECTED: [PianoRollDatasetName, Record<string, [number, number]>, [number, number, number] | null][] = [
  ['jsb', { train: [229, 13_807], valid: [76, 4_602], test: [77, 4_725] }, [43, 96, 4]],
  ['nottingham', { train: [694, 176_561], valid: [173, 45_513], test: [170, 44_463] }, [31, 93, 9]],
  ['musedata', { train: [524, 245_202], valid: [135, 82_755], test: [124, 64_339] }, [21, 105, 15]],
  ['piano-midi', { train: [87, 75_911], valid: [12, 8_540], test: [25, 19_036] }, [21, 108, 12]],
  ['jsb-8th', { train: [229, 27_614], valid: [76, 9_204], test: [77, 9_450] }, null],
];

describe('piano-roll datasets (counts per split from SOURCE.md)', () => {
  for (const [name, expected, range] of EXPECTED) {
    it(name, () => {
      const splits = readPianoRollDataset(name);
      expect(counts(splits)).toEqual(expected);
      if (range) expect(pitchRange(splits)).toEqual(range);
    });
  }

  it('the first frames of JSB train[0] are those of SOURCE.md', () => {
    const jsb = readPianoRollDataset('jsb');
    expect(rollToPitchLists(jsb.train[0]!).slice(0, 3)).toEqual([
      [60, 72, 79, 88],
      [72, 79, 88],
      [67, 70, 76, 84],
    ]);
  });
});

describe('Nottingham MIDI and irish.abc', () => {
  it('1,034 full / melody and 1,021 chord files; a tune reads as two tracks; a seeded split by name', () => {
    const names = listNottinghamMidi('full');
    expect(names.length).toBe(1034);
    expect(listNottinghamMidi('melody').length).toBe(1034);
    expect(listNottinghamMidi('chords').length).toBe(1021);
    const seq = readNottinghamMidi('reelsa-c1', 'full', { stepsPerQuarter: 4 });
    validateNoteSequence(seq);
    expect(new Set(seq.notes.map((n) => n.instrument)).size).toBe(2);
    const split = splitByTune(names, { seed: 0 });
    expect([split.train.length, split.valid.length, split.test.length]).toEqual([828, 103, 103]);
    expect(new Set([...split.train, ...split.valid, ...split.test]).size).toBe(1034);
    expect(splitByTune(names, { seed: 0 })).toEqual(split);
    expect(splitByTune(names, { seed: 1 }).test).not.toEqual(split.test);
  });

  it('irish.abc holds 804 tunes', () => {
    expect(splitAbcTunes(readIrishAbc()).length).toBe(804);
  });
});
