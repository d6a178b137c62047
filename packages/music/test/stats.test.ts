import { describe, expect, it } from 'vitest';
import { ValueError } from '@recurrent/core';
import {
  estimateKey,
  inKeyShare,
  pitchClassHistogram,
  rollFromPitchLists,
  rollStatistics,
  scalePitchClasses,
} from '../src/index.js';
import { readPianoRollDataset } from '../src/node.js';

describe('key estimate (Krumhansl–Schmuckler)', () => {
  it('finds C major from a C major scale and A minor from an A harmonic-minor line', () => {
    const cMajor = rollFromPitchLists([[60], [62], [64], [65], [67], [69], [71], [72], [67], [64], [60], [60]]);
    expect(estimateKey(pitchClassHistogram(cMajor))).toMatchObject({ key: 0, mode: 'major' });
    const aMinor = rollFromPitchLists([[57], [57], [60], [64], [64], [68], [69], [69], [62], [65], [64], [57], [57]]);
    expect(estimateKey(pitchClassHistogram(aMinor))).toMatchObject({ key: 9, mode: 'minor' });
    // transposing moves the key with it
    const dMajor = rollFromPitchLists([[62], [64], [66], [67], [69], [71], [73], [74], [69], [66], [62], [62]]);
    expect(estimateKey(pitchClassHistogram(dMajor))).toMatchObject({ key: 2, mode: 'major' });
    expect(() => estimateKey(new Float64Array(12))).toThrowError(ValueError);
    expect(() => estimateKey([1, 2, 3])).toThrowError(/12 bins, got 3/);
  });

  it('in-key share: scale notes count, chromatic ones do not', () => {
    expect([...scalePitchClasses(9, 'minor')].sort((a, b) => a - b)).toEqual([0, 2, 4, 5, 7, 8, 9, 11]);
    // 10 note-frames in C major, 2 of them C# and F#
    const roll = rollFromPitchLists([[60, 64, 67], [60, 64, 67], [61], [66], [62, 65]]);
    expect(inKeyShare(roll, { key: 0, mode: 'major' })).toBeCloseTo(8 / 10, 12);
  });
});

describe('rollStatistics', () => {
  it('counts per frame, range and silence by hand', () => {
    const s = rollStatistics([rollFromPitchLists([[60, 64, 67], [], [62]]), rollFromPitchLists([[48, 72]])]);
    expect(s).toMatchObject({
      pieces: 2,
      frames: 4,
      notesPerFrame: 6 / 4,
      notesPerSoundingFrame: 2,
      silentFrames: 1 / 4,
      maxNotesPerFrame: 3,
      lowestPitch: 48,
      highestPitch: 72,
    });
    // piece ranges 7 (4 note-frames) and 24 (2 note-frames)
    expect(s.meanPieceRange).toBeCloseTo((7 * 4 + 24 * 2) / 6, 12);
  });

  it('JSB chorales (train): about 3.9 notes per frame and nearly every note in its piece’s key', () => {
    const s = rollStatistics(readPianoRollDataset('jsb').train);
    expect(s.frames).toBe(13_807);
    expect(s.lowestPitch).toBe(43);
    expect(s.highestPitch).toBe(96);
    expect(s.maxNotesPerFrame).toBe(4);
    expect(s.notesPerFrame).toBeGreaterThan(3.5);
    expect(s.notesPerFrame).toBeLessThan(4);
    expect(s.inKeyShare).toBeGreaterThan(0.9);
  });
});
