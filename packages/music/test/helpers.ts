import { existsSync, readFileSync } from 'node:fs';
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
