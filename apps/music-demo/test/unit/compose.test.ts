import { FormatError, initWasm, ValueError } from '@recurrent/core';
import { midiToNoteSequence, noteSequenceToMidi, rollToPitchLists } from '@recurrent/music';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeFolk, composeRoll, inspectPrimer, MAX_PRIMER_FRAMES, rollPrimer } from '../../lib/compose';
import type { GenerateProgress, GenerateRequest } from '../../lib/protocol';
import { realTimeFactor, realTimeSentence } from '../../lib/timing';
import { loadShipped } from './helpers';

beforeAll(() => initWasm());

const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  type: 'generate',
  model: 'jsb',
  primer: {
    kind: 'pitches',
    pitches: [
      [48, 64, 67, 72],
      [48, 64, 67, 72],
      [53, 65, 69, 72],
      [55, 62, 67, 71],
    ],
  },
  length: 32,
  temperature: 1,
  seed: 0,
  ...over,
});

describe('composing with the shipped models (what the worker runs)', () => {
  it('the chorale model continues a primer: roll, probabilities, notes and a MIDI file that reads back', () => {
    const loaded = loadShipped('jsb');
    if (loaded.family !== 'roll') throw new Error('jsb is a roll model');
    const updates: GenerateProgress[] = [];
    const music = composeRoll(loaded, request(), (p) => updates.push(p));
    expect(music.primerFrames).toBe(4);
    expect(music.roll.frames).toBe(36);
    expect(rollToPitchLists(music.roll).slice(0, 2)).toEqual([
      [48, 64, 67, 72],
      [48, 64, 67, 72],
    ]);
    expect(music.probabilities?.length).toBe(32 * 88);
    expect(updates.at(-1)).toEqual({ done: 32, total: 32, unit: 'frames' });
    expect(updates.length).toBe(32);
    expect(music.secondsPerFrame).toBeCloseTo(0.6, 10); // 100 qpm, one frame a quarter
    const back = midiToNoteSequence(music.midi ?? new Uint8Array(0), { source: 'out.mid' });
    expect(back.notes.length).toBe(music.notes.length);
    expect(music.generatedFrames).toBe(32);
    // The same seed gives the same piece; another seed another.
    expect(composeRoll(loaded, request()).roll.keys).toEqual(music.roll.keys);
    expect(composeRoll(loaded, request({ seed: 1 })).roll.keys).not.toEqual(music.roll.keys);
    expect(realTimeFactor(music)).toBeGreaterThan(0);
    expect(realTimeSentence(music)).toMatch(/^32 frames \(19\.2 s of music\) in \d+\.\d\d s: /);
  });

  it('a long primer is cut to its last 64 frames; an uploaded MIDI primer is read on the model grid', () => {
    const pitches = Array.from({ length: 100 }, (_, i) => [60 + (i % 12)]);
    const cut = rollPrimer({ kind: 'pitches', pitches }, 1);
    expect(cut.roll.frames).toBe(MAX_PRIMER_FRAMES);
    expect(rollToPitchLists(cut.roll)[0]).toEqual([60 + (36 % 12)]);
    expect(cut.notes).toEqual(['The primer has 100 frames; the model reads its last 64.']);
    const midi = noteSequenceToMidi({
      notes: [60, 62, 64].map((pitch, i) => ({
        pitch,
        velocity: 90,
        startTime: i * 0.5,
        endTime: i * 0.5 + 0.5,
        program: 0,
        instrument: 0,
      })),
      tempos: [{ time: 0, qpm: 120 }],
      timeSignatures: [],
      keySignatures: [],
      totalTime: 1.5,
    });
    const summary = inspectPrimer({
      type: 'inspect-primer',
      family: 'roll',
      stepsPerQuarter: 2,
      primer: { kind: 'file', name: 'up.mid', bytes: midi },
    });
    expect(summary).toEqual({ frames: 6, notes: 3, notices: [] });
    expect(
      inspectPrimer({
        type: 'inspect-primer',
        family: 'folk',
        stepsPerQuarter: 4,
        primer: { kind: 'file', name: 'up.mid', bytes: midi },
      }).notes,
    ).toBe(3);
    const bad = {
      type: 'inspect-primer' as const,
      family: 'roll' as const,
      stepsPerQuarter: 1,
      primer: { kind: 'file' as const, name: 'bad.mid', bytes: new TextEncoder().encode('not midi') },
    };
    expect(() => inspectPrimer(bad)).toThrow(FormatError);
    expect(() => inspectPrimer(bad)).toThrow(/^bad\.mid: /);
  });

  it('the folk model writes ABC after its primer; notes when abcjs reads it', () => {
    const loaded = loadShipped('abc');
    if (loaded.family !== 'folk') throw new Error('abc is the folk model');
    const primer = 'X:1\nT:Test\nM:4/4\nL:1/8\nK:G\nGABc dBGB|\n';
    const updates: GenerateProgress[] = [];
    const music = composeFolk(
      loaded,
      request({ model: 'abc', primer: { kind: 'abc', abc: primer }, length: 300, temperature: 0.8 }),
      (p) => updates.push(p),
    );
    expect(music.abc?.startsWith(primer)).toBe(true);
    expect(music.generatedChars).toBeGreaterThan(0);
    expect(music.generatedChars).toBeLessThan(300); // this tune ends at its blank line: sampling stopped there
    // progress per character, every 9 (300 / 32) of them, then the count written: the tune and its blank line
    const written = music.generatedChars + 1;
    const every = Array.from({ length: Math.floor(written / 9) }, (_, i) => (i + 1) * 9);
    expect(updates.map((u) => u.done)).toEqual([0, ...every, ...(written % 9 === 0 ? [] : [written])]);
    expect(updates.every((u) => u.total === 300 && u.unit === 'characters')).toBe(true);
    expect(music.probabilities).toBeNull();
    if (music.abcProblem === null) {
      expect(music.midi).not.toBeNull();
      expect(music.primerFrames).toBe(16); // 8 eighth notes at 4 steps a quarter
      expect(music.notes.length).toBeGreaterThan(8);
    } else expect(music.midi).toBeNull();
    expect(() => composeFolk(loaded, request({ model: 'abc' }))).toThrow(/continues ABC text/);
  });

  it('refuses lengths, temperatures and seeds out of range, naming them', () => {
    const loaded = loadShipped('jsb');
    if (loaded.family !== 'roll') throw new Error('jsb is a roll model');
    expect(() => composeRoll(loaded, request({ length: 0 }))).toThrow(ValueError);
    expect(() => composeRoll(loaded, request({ length: 513 }))).toThrow(
      /length must be a whole number of frames in 1\.\.512, got 513/,
    );
    expect(() => composeRoll(loaded, request({ temperature: 0 }))).toThrow(/temperature/);
    expect(() => composeRoll(loaded, request({ seed: -1 }))).toThrow(/seed/);
  });
});
