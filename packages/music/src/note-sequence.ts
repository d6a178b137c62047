import { ValueError } from '@recurrent/core';

/** One sounding note. Times are in seconds; the step fields are filled when the sequence is quantised. */
export interface Note {
  /** MIDI pitch 0..127 (60 = middle C). */
  pitch: number;
  /** MIDI velocity 1..127. */
  velocity: number;
  /** Onset in seconds (≥ 0). */
  startTime: number;
  /** Release in seconds (> startTime). */
  endTime: number;
  /** Onset in quantised steps (see `NoteSequence.stepsPerQuarter`), when quantised. */
  quantizedStartStep?: number;
  /** Release in quantised steps (> quantizedStartStep), when quantised. */
  quantizedEndStep?: number;
  /** General MIDI program 0..127 (0 = acoustic grand piano). */
  program: number;
  /** Which part/track the note belongs to (0-based). */
  instrument: number;
  /** Whether it is a percussion note (MIDI channel 10). */
  isDrum?: boolean;
}

export interface Tempo {
  /** Seconds from the start. */
  time: number;
  /** Quarter notes per minute. */
  qpm: number;
}

export interface TimeSignature {
  time: number;
  numerator: number;
  denominator: number;
}

export type KeyMode = 'major' | 'minor';

export interface KeySignature {
  time: number;
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  key: number;
  mode: KeyMode;
}

/**
 * A piece as notes, the common currency of the package (the shape of Magenta's NoteSequence): MIDI files, ABC tunes
 * and piano rolls convert to and from it. Notes are sorted by start time, then pitch.
 */
export interface NoteSequence {
  notes: Note[];
  /** Tempo changes, sorted by time; the first at time 0 (an empty list means 120 qpm). */
  tempos: Tempo[];
  timeSignatures: TimeSignature[];
  keySignatures: KeySignature[];
  /** End of the piece in seconds (≥ the last note's end). */
  totalTime: number;
  /** Quantisation grid when the notes carry step fields. */
  stepsPerQuarter?: number;
  /** Length in steps when quantised. */
  totalQuantizedSteps?: number;
  /** Free-text title (MIDI track/sequence name, ABC T: field). */
  title?: string;
}

export const DEFAULT_QPM = 120;

/** An empty sequence at 120 qpm in 4/4. */
export function emptyNoteSequence(): NoteSequence {
  return {
    notes: [],
    tempos: [{ time: 0, qpm: DEFAULT_QPM }],
    timeSignatures: [{ time: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    totalTime: 0,
  };
}

function checkInt(what: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ValueError(`${what} must be an integer in ${lo}..${hi}, got ${String(v)}`);
  }
}

function checkTime(what: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new ValueError(`${what} must be a finite number ≥ 0, got ${String(v)}`);
}

/**
 * Throws a ValueError naming the first bad field (`${name}.notes[3].pitch must be …`): pitches/velocities/programs
 * out of MIDI range, negative or reversed times, unsorted notes, bad tempos, time signatures or keys, step fields
 * present without `stepsPerQuarter` or inconsistent with it.
 */
export function validateNoteSequence(seq: NoteSequence, name = 'NoteSequence'): void {
  if (!seq || !Array.isArray(seq.notes)) throw new ValueError(`${name}.notes must be an array`);
  const quantized = seq.stepsPerQuarter !== undefined;
  if (quantized) checkInt(`${name}.stepsPerQuarter`, seq.stepsPerQuarter, 1, 960);
  let prev = -Infinity;
  let prevPitch = -1;
  seq.notes.forEach((n, i) => {
    const w = `${name}.notes[${i}]`;
    checkInt(`${w}.pitch`, n.pitch, 0, 127);
    checkInt(`${w}.velocity`, n.velocity, 1, 127);
    checkInt(`${w}.program`, n.program, 0, 127);
    checkInt(`${w}.instrument`, n.instrument, 0, 1_000_000);
    checkTime(`${w}.startTime`, n.startTime);
    checkTime(`${w}.endTime`, n.endTime);
    if (!(n.endTime > n.startTime))
      throw new ValueError(`${w}: endTime ${n.endTime} must be after startTime ${n.startTime}`);
    if (n.endTime > seq.totalTime + 1e-9)
      throw new ValueError(`${w}: endTime ${n.endTime} is after ${name}.totalTime ${seq.totalTime}`);
    if (n.startTime < prev || (n.startTime === prev && n.pitch < prevPitch)) {
      throw new ValueError(
        `${w}: notes must be sorted by startTime then pitch ` +
          `(start ${n.startTime}, pitch ${n.pitch} after start ${prev}, pitch ${prevPitch})`,
      );
    }
    prev = n.startTime;
    prevPitch = n.pitch;
    const hasSteps = n.quantizedStartStep !== undefined || n.quantizedEndStep !== undefined;
    if (hasSteps && !quantized) throw new ValueError(`${w} has quantised steps but ${name}.stepsPerQuarter is not set`);
    if (quantized) {
      const start = n.quantizedStartStep ?? -1;
      const end = n.quantizedEndStep ?? -1;
      checkInt(`${w}.quantizedStartStep`, start, 0, Number.MAX_SAFE_INTEGER);
      checkInt(`${w}.quantizedEndStep`, end, 1, Number.MAX_SAFE_INTEGER);
      if (!(end > start))
        throw new ValueError(`${w}: quantizedEndStep ${end} must be after quantizedStartStep ${start}`);
    }
  });
  checkTime(`${name}.totalTime`, seq.totalTime);
  if (!Array.isArray(seq.tempos)) throw new ValueError(`${name}.tempos must be an array`);
  let last = -1;
  seq.tempos.forEach((t, i) => {
    checkTime(`${name}.tempos[${i}].time`, t.time);
    if (!(t.qpm > 0 && t.qpm < 10_000))
      throw new ValueError(`${name}.tempos[${i}].qpm must be in (0, 10000), got ${t.qpm}`);
    if (t.time < last)
      throw new ValueError(`${name}.tempos must be sorted by time (tempos[${i}] at ${t.time} after ${last})`);
    last = t.time;
  });
  seq.timeSignatures.forEach((ts, i) => {
    checkTime(`${name}.timeSignatures[${i}].time`, ts.time);
    checkInt(`${name}.timeSignatures[${i}].numerator`, ts.numerator, 1, 255);
    if (![1, 2, 4, 8, 16, 32, 64].includes(ts.denominator)) {
      throw new ValueError(
        `${name}.timeSignatures[${i}].denominator must be a power of two 1..64, got ${ts.denominator}`,
      );
    }
  });
  seq.keySignatures.forEach((k, i) => {
    checkTime(`${name}.keySignatures[${i}].time`, k.time);
    checkInt(`${name}.keySignatures[${i}].key`, k.key, 0, 11);
    if (k.mode !== 'major' && k.mode !== 'minor')
      throw new ValueError(`${name}.keySignatures[${i}].mode must be 'major' or 'minor', got ${String(k.mode)}`);
  });
}

/** Sort notes by start time, then pitch (in place) and return them. */
export function sortNotes(notes: Note[]): Note[] {
  return notes.sort((a, b) => a.startTime - b.startTime || a.pitch - b.pitch || a.endTime - b.endTime);
}

/** The tempo in force at the start (120 qpm when there is none). */
export function initialQpm(seq: NoteSequence): number {
  return seq.tempos[0]?.qpm ?? DEFAULT_QPM;
}

/** Seconds → quarter notes under the sequence's tempo map. */
export function secondsToQuarters(seq: NoteSequence, seconds: number): number {
  const tempos = seq.tempos.length > 0 ? seq.tempos : [{ time: 0, qpm: DEFAULT_QPM }];
  let quarters = 0;
  let t = 0;
  const first = tempos[0];
  let qpm = first && first.time <= 0 ? first.qpm : DEFAULT_QPM;
  for (const tempo of tempos) {
    if (tempo.time <= t) {
      qpm = tempo.qpm;
      continue;
    }
    if (tempo.time >= seconds) break;
    quarters += ((tempo.time - t) * qpm) / 60;
    t = tempo.time;
    qpm = tempo.qpm;
  }
  return quarters + ((seconds - t) * qpm) / 60;
}

/**
 * Quantise onto a grid of `stepsPerQuarter` steps per quarter note under the tempo map (like Magenta's
 * quantize_note_sequence): every note gets rounded start/end steps, a note shorter than a step lasts one step.
 * Returns a new sequence; the seconds are kept as they were.
 */
export function quantizeNoteSequence(seq: NoteSequence, stepsPerQuarter: number): NoteSequence {
  checkInt('quantizeNoteSequence: stepsPerQuarter', stepsPerQuarter, 1, 960);
  const notes = seq.notes.map((n) => {
    const start = Math.round(secondsToQuarters(seq, n.startTime) * stepsPerQuarter);
    const end = Math.max(start + 1, Math.round(secondsToQuarters(seq, n.endTime) * stepsPerQuarter));
    return { ...n, quantizedStartStep: start, quantizedEndStep: end };
  });
  const totalQuantizedSteps = Math.max(
    Math.round(secondsToQuarters(seq, seq.totalTime) * stepsPerQuarter),
    ...notes.map((n) => n.quantizedEndStep),
  );
  return { ...seq, notes, stepsPerQuarter, totalQuantizedSteps };
}
