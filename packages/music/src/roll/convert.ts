import { ValueError } from '@recurrent/core';
import { DEFAULT_QPM, quantizeNoteSequence, sortNotes, type Note, type NoteSequence } from '../note-sequence.js';
import { LOWEST_PIANO_PITCH, PIANO_KEYS, isPianoPitch } from '../pitch.js';
import { createPianoRoll, validatePianoRoll, type PianoRoll } from './piano-roll.js';

/** The frame grid: steps per quarter note (tempo-relative, the datasets' kind) or frames per second. */
export type FrameRate = { stepsPerQuarter: number } | { framesPerSecond: number };

export interface ToRollOptions {
  /** A note outside the piano's 21..108: 'error' (default) or 'drop'. */
  outOfRange?: 'error' | 'drop';
  /** Include percussion notes (default false: drums are not pitches). */
  includeDrums?: boolean;
}

function checkRate(rate: FrameRate, what: string): void {
  const v = 'stepsPerQuarter' in rate ? rate.stepsPerQuarter : rate.framesPerSecond;
  if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${what}: the frame rate must be a number > 0, got ${v}`);
  if ('stepsPerQuarter' in rate && !Number.isInteger(v))
    throw new ValueError(`${what}: stepsPerQuarter must be an integer, got ${v}`);
}

/**
 * The notes on an 88-key frame grid: frame f is on for a note when start ≤ f < end, with start/end its quantised
 * steps (the sequence is quantised on the grid when it is not already) or round(seconds × framesPerSecond); every
 * note lasts at least one frame. Repeated notes of one pitch that touch merge into one run (a binary roll
 * cannot tell them apart). The roll is as long as the sequence (its total steps or time).
 */
export function noteSequenceToRoll(seq: NoteSequence, rate: FrameRate, options: ToRollOptions = {}): PianoRoll {
  checkRate(rate, 'noteSequenceToRoll');
  const spans: { pitch: number; start: number; end: number }[] = [];
  let frames: number;
  if ('stepsPerQuarter' in rate) {
    const q = seq.stepsPerQuarter === rate.stepsPerQuarter ? seq : quantizeNoteSequence(seq, rate.stepsPerQuarter);
    for (const n of q.notes)
      spans.push({ pitch: n.pitch, start: n.quantizedStartStep ?? 0, end: n.quantizedEndStep ?? 1 });
    frames = q.totalQuantizedSteps ?? 0;
  } else {
    const fps = rate.framesPerSecond;
    for (const n of seq.notes) {
      const start = Math.round(n.startTime * fps);
      spans.push({ pitch: n.pitch, start, end: Math.max(start + 1, Math.round(n.endTime * fps)) });
    }
    frames = Math.round(seq.totalTime * fps);
  }
  const kept = spans.filter((s, i) => {
    const note = seq.notes[i]!;
    if (note.isDrum && !options.includeDrums) return false;
    if (isPianoPitch(s.pitch)) return true;
    if ((options.outOfRange ?? 'error') === 'drop') return false;
    throw new ValueError(
      `noteSequenceToRoll: note ${i} has pitch ${s.pitch}, outside the piano's 21..108 ` +
        "(pass outOfRange: 'drop' to leave it out)",
    );
  });
  frames = kept.reduce((m, s) => Math.max(m, s.end), frames);
  const roll = createPianoRoll(frames);
  for (const s of kept)
    for (let f = s.start; f < s.end; f++) roll.keys[f * PIANO_KEYS + s.pitch - LOWEST_PIANO_PITCH] = 1;
  return roll;
}

export interface FromRollOptions {
  /** Tempo of the sequence when the rate is in steps per quarter (default 120 qpm). */
  qpm?: number;
  /** Velocity of every note (default 80). */
  velocity?: number;
  /** General MIDI program of every note (default 0, piano). */
  program?: number;
}

/**
 * A roll as notes: every run of consecutive on-frames of a key is one note. With `stepsPerQuarter` the notes carry
 * their quantised steps and the sequence its tempo; with `framesPerSecond` only seconds.
 */
export function rollToNoteSequence(roll: PianoRoll, rate: FrameRate, options: FromRollOptions = {}): NoteSequence {
  validatePianoRoll(roll, 'rollToNoteSequence: roll');
  checkRate(rate, 'rollToNoteSequence');
  const qpm = options.qpm ?? DEFAULT_QPM;
  const velocity = options.velocity ?? 80;
  const program = options.program ?? 0;
  const secondsPerFrame = 'stepsPerQuarter' in rate ? 60 / qpm / rate.stepsPerQuarter : 1 / rate.framesPerSecond;
  const quantized = 'stepsPerQuarter' in rate;
  const notes: Note[] = [];
  for (let k = 0; k < PIANO_KEYS; k++) {
    let start = -1;
    for (let f = 0; f <= roll.frames; f++) {
      const on = f < roll.frames && roll.keys[f * PIANO_KEYS + k] === 1;
      if (on && start < 0) start = f;
      else if (!on && start >= 0) {
        const n: Note = {
          pitch: LOWEST_PIANO_PITCH + k,
          velocity,
          startTime: start * secondsPerFrame,
          endTime: f * secondsPerFrame,
          program,
          instrument: 0,
        };
        if (quantized) {
          n.quantizedStartStep = start;
          n.quantizedEndStep = f;
        }
        notes.push(n);
        start = -1;
      }
    }
  }
  sortNotes(notes);
  const seq: NoteSequence = {
    notes,
    tempos: [{ time: 0, qpm }],
    timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    totalTime: roll.frames * secondsPerFrame,
  };
  if ('stepsPerQuarter' in rate) {
    seq.stepsPerQuarter = rate.stepsPerQuarter;
    seq.totalQuantizedSteps = roll.frames;
  }
  return seq;
}
