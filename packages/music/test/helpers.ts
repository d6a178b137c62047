import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDataDir } from '@recurrent/core/node';
import { mergeConfig } from '@recurrent/core';
import {
  PIANO_KEYS,
  rollDefaults,
  type Note,
  type NoteSequence,
  type PianoRoll,
  type PianoRollSplits,
  type RollTaskName,
  type RollTrainConfig,
} from '../src/index.js';

/** The shared datasets folder; the tests that read real data need it. */
export function dataDir(): string {
  const dir = findDataDir();
  if (!dir || !existsSync(dir)) throw new Error('shared/data not found (set RECURRENT_DATA)');
  return dir;
}

export function dataPath(...parts: string[]): string {
  return join(dataDir(), ...parts);
}

export function readData(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(dataPath(...parts)));
}

/** A note with program 0, instrument 0 and velocity 100 unless given. */
export function note(pitch: number, startTime: number, endTime: number, extra: Partial<Note> = {}): Note {
  return { pitch, velocity: 100, startTime, endTime, program: 0, instrument: 0, ...extra };
}

/** A sequence at `qpm` in 4/4 holding `notes` (sorted by the caller). */
export function sequence(notes: Note[], qpm = 120): NoteSequence {
  return {
    notes,
    tempos: [{ time: 0, qpm }],
    timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    totalTime: notes.reduce((m, n) => Math.max(m, n.endTime), 0),
  };
}

/** JSB-style piano rolls (lists of pitches per frame) by split. */
export interface TinyRolls {
  train: number[][][];
  valid: number[][][];
  test: number[][][];
}

/** Four training pieces of chords (8, 12, 6, 9 frames), one validation piece of 7, test pieces of 5 and 6. */
export function tinyRolls(): TinyRolls {
  const chord = (f: number) =>
    [
      [60, 64, 67],
      [65, 69, 72],
      [67, 71, 74],
      [60, 64, 67],
    ][f % 4]!;
  const piece = (frames: number, shift: number) => Array.from({ length: frames }, (_, f) => chord(f + shift));
  return {
    train: [piece(8, 0), piece(12, 1), piece(6, 2), piece(9, 3)],
    valid: [piece(7, 0)],
    test: [piece(5, 1), piece(6, 2)],
  };
}

/**
 * A tiny data folder at `dir` in the shared/data layout: JSB-style piano rolls (`rolls`, default tinyRolls) and an
 * irish.abc of ten short tunes. Returns `dir`.
 */
export function writeTinyMusicData(dir: string, options: { rolls?: TinyRolls } = {}): string {
  mkdirSync(join(dir, 'polyphonic-music'), { recursive: true });
  mkdirSync(join(dir, 'irish-folk-abc'), { recursive: true });
  writeFileSync(join(dir, 'polyphonic-music', 'JSB_Chorales.json'), JSON.stringify(options.rolls ?? tinyRolls()));
  const body = '|:dAFA DFAd|fdcd FAdf|gfge fefd|e2d2 d4:|\n';
  const tune = (i: number) => `X:${i}\nT:Tune ${i}\nM:4/4\nL:1/8\nK:D Major\n${body}`;
  writeFileSync(join(dir, 'irish-folk-abc', 'irish.abc'), Array.from({ length: 10 }, (_, i) => tune(i + 1)).join('\n'));
  return dir;
}

/** A tiny seeded data set: pieces of 5–12 frames of 1–3 notes between MIDI 48 and 72. */
export function tinyRollSplits(): PianoRollSplits {
  let s = 7;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const piece = (): PianoRoll => {
    const frames = 5 + Math.floor(rand() * 8);
    const keys = new Uint8Array(frames * PIANO_KEYS);
    for (let f = 0; f < frames; f++)
      for (let v = 0; v < 1 + Math.floor(rand() * 3); v++) keys[f * PIANO_KEYS + 27 + Math.floor(rand() * 24)] = 1;
    return { frames, keys };
  };
  const many = (k: number) => Array.from({ length: k }, piece);
  return { train: many(10), valid: many(3), test: many(3) };
}

export function tinyRollConfig(task: RollTaskName, overrides: Record<string, unknown> = {}): RollTrainConfig {
  const architecture =
    task === 'jsb-nade' ? { hiddenSize: 6, nadeHiddenSize: 5, dropout: 0.3 } : { hiddenSize: 6, dropout: 0.3 };
  return mergeConfig(task, rollDefaults(task), {
    epochs: 3,
    batchSize: 3,
    seqLen: 6,
    transpose: 3,
    lr: 0.01,
    evalEvery: 2,
    checkpointEvery: 3,
    architecture,
    ...overrides,
  });
}
