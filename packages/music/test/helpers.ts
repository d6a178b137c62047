import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDataDir } from '@recurrent/core/node';
import type { Note, NoteSequence } from '../src/index.js';

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
