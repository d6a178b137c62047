// What the inference worker does with a loaded model: read the primer, generate, and turn the result into what the
// page shows, plays and downloads. Plain TypeScript (no worker API), so Node tests drive it with the shipped models.
import { FormatError, ValueError } from '@recurrent/core';
import {
  abcToNoteSequence,
  generatedTuneToNoteSequence,
  generateRoll,
  generateTunes,
  initialQpm,
  noteSequenceToMidi,
  noteSequenceToRoll,
  PIANO_KEYS,
  primerAbcFromBytes,
  primerRollFromBytes,
  rollFromPitchLists,
  rollToNoteSequence,
  sliceRoll,
  type NoteSequence,
  type PianoRoll,
  type RollModel,
} from '@recurrent/music';
import type { LanguageModel } from '@recurrent/text';
import type {
  GeneratedMusic,
  GenerateProgress,
  GenerateRequest,
  InspectPrimerRequest,
  NoteView,
  PrimerInput,
  PrimerSummary,
} from './protocol';

/** A model as the worker holds it. */
export type LoadedMusicModel =
  | { family: 'roll'; model: RollModel; stepsPerQuarter: number }
  | { family: 'folk'; model: LanguageModel };

/** Longest primer a piano-roll model reads (its last frames are kept); longest generation. */
export const MAX_PRIMER_FRAMES = 64;
export const MAX_FRAMES = 512;
/** The folk model: characters at most, and its notes' grid. */
export const MAX_CHARS = 2000;
export const FOLK_STEPS_PER_QUARTER = 4;
/** Tempo of a piece without one (pieces from the roll data sets have none). */
export const DEFAULT_ROLL_QPM = 100;

export function checkGenerateRequest(req: GenerateRequest, family: 'roll' | 'folk'): void {
  const max = family === 'roll' ? MAX_FRAMES : MAX_CHARS;
  const unit = family === 'roll' ? 'frames' : 'characters';
  if (!Number.isInteger(req.length) || req.length < 1 || req.length > max)
    throw new ValueError(`length must be a whole number of ${unit} in 1..${max}, got ${req.length}`);
  if (!(req.temperature > 0) || req.temperature > 5)
    throw new ValueError(`temperature must be in (0, 5], got ${req.temperature}`);
  if (!Number.isInteger(req.seed) || req.seed < 0)
    throw new ValueError(`seed must be a whole number ≥ 0, got ${req.seed}`);
}

function noteViews(seq: NoteSequence): NoteView[] {
  return seq.notes.map((n) => ({ pitch: n.pitch, start: n.startTime, end: n.endTime, velocity: n.velocity / 127 }));
}

/** A primer on a piano-roll model's grid: at most MAX_PRIMER_FRAMES (the last ones), with what was changed. */
export function rollPrimer(
  primer: PrimerInput,
  stepsPerQuarter: number,
): { roll: PianoRoll; qpm: number; notes: string[] } {
  const notes: string[] = [];
  let roll: PianoRoll;
  let qpm = DEFAULT_ROLL_QPM;
  if (primer.kind === 'none') roll = { frames: 0, keys: new Uint8Array(0) };
  else if (primer.kind === 'pitches') roll = rollFromPitchLists(primer.pitches, 'primer');
  else if (primer.kind === 'abc') {
    const seq = abcToNoteSequence(primer.abc, { source: 'primer', stepsPerQuarter });
    roll = noteSequenceToRoll(seq, { stepsPerQuarter }, { outOfRange: 'drop' });
    qpm = initialQpm(seq);
  } else {
    const read = primerRollFromBytes(primer.bytes, primer.name, stepsPerQuarter);
    roll = read.roll;
    qpm = read.qpm;
    if (roll.frames === 0) throw new FormatError(`${primer.name}: no notes on the piano's 88 keys`);
  }
  if (roll.frames > MAX_PRIMER_FRAMES) {
    notes.push(`The primer has ${roll.frames} frames; the model reads its last ${MAX_PRIMER_FRAMES}.`);
    roll = sliceRoll(roll, roll.frames - MAX_PRIMER_FRAMES, roll.frames);
  }
  return { roll, qpm, notes };
}

/** Continue a primer with a piano-roll model, reporting progress every few frames. */
export function composeRoll(
  loaded: Extract<LoadedMusicModel, { family: 'roll' }>,
  req: GenerateRequest,
  onProgress: (p: GenerateProgress) => void = () => {},
): GeneratedMusic {
  checkGenerateRequest(req, 'roll');
  const spq = loaded.stepsPerQuarter;
  const primer = rollPrimer(req.primer, spq);
  const every = Math.max(1, Math.floor(req.length / 32));
  const started = performance.now();
  const out = generateRoll(loaded.model, {
    steps: req.length,
    temperature: req.temperature,
    seed: req.seed,
    ...(primer.roll.frames > 0 ? { primer: primer.roll } : {}),
    onStep: (done, total) => {
      if (done % every === 0 || done === total) onProgress({ done, total, unit: 'frames' });
    },
  });
  const millis = performance.now() - started;
  const seq = rollToNoteSequence(out.roll, { stepsPerQuarter: spq }, { qpm: primer.qpm });
  return {
    family: 'roll',
    roll: out.roll,
    primerFrames: out.primerFrames,
    probabilities: out.probabilities,
    secondsPerFrame: 60 / primer.qpm / spq,
    notes: noteViews(seq),
    midi: noteSequenceToMidi(seq),
    abc: null,
    abcProblem: null,
    primerNotes: primer.notes,
    millis,
    generatedFrames: req.length,
    generatedChars: 0,
  };
}

/** The folk model's primer as ABC text (the default is the corpus's tune start, `X:1`). */
export function folkPrimer(primer: PrimerInput): string {
  if (primer.kind === 'none') return 'X:1\n';
  if (primer.kind === 'abc') return primer.abc.endsWith('\n') ? primer.abc : `${primer.abc}\n`;
  if (primer.kind === 'file') return primerAbcFromBytes(primer.bytes, primer.name);
  throw new ValueError('the folk model continues ABC text: choose a folk primer or upload a .abc or monophonic .mid');
}

/** Frames of an ABC text's notes on the folk grid (0 when it has none or does not parse). */
function abcFrames(text: string): number {
  try {
    const seq = abcToNoteSequence(text, { source: 'primer', stepsPerQuarter: FOLK_STEPS_PER_QUARTER, strict: false });
    return seq.totalQuantizedSteps ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Write a tune with the folk model: the primer's text and the model's continuation, then its notes. Progress is
 * reported per character written, every ~1/32 of the length like composeRoll (a tune that ends at its blank line
 * ends short of the length: its last update says how many characters were written).
 */
export function composeFolk(
  loaded: Extract<LoadedMusicModel, { family: 'folk' }>,
  req: GenerateRequest,
  onProgress: (p: GenerateProgress) => void = () => {},
): GeneratedMusic {
  checkGenerateRequest(req, 'folk');
  const primer = folkPrimer(req.primer);
  const every = Math.max(1, Math.floor(req.length / 32));
  let reported = 0;
  let written = 0;
  onProgress({ done: 0, total: req.length, unit: 'characters' });
  const started = performance.now();
  const [tune = primer] = generateTunes(loaded.model, {
    primer,
    maxLength: req.length,
    temperature: req.temperature,
    seed: req.seed,
    onToken: (done, total) => {
      written = done;
      if (done % every !== 0 && done !== total) return;
      reported = done;
      onProgress({ done, total, unit: 'characters' });
    },
  });
  const millis = performance.now() - started;
  const generatedChars = Math.max(0, tune.length - primer.length);
  if (written !== reported) onProgress({ done: written, total: req.length, unit: 'characters' });
  let seq: NoteSequence | null = null;
  let abcProblem: string | null = null;
  try {
    seq = generatedTuneToNoteSequence(tune, { stepsPerQuarter: FOLK_STEPS_PER_QUARTER });
  } catch (e) {
    abcProblem = e instanceof Error ? e.message : String(e);
  }
  const roll = seq
    ? noteSequenceToRoll(seq, { stepsPerQuarter: FOLK_STEPS_PER_QUARTER }, { outOfRange: 'drop' })
    : { frames: 0, keys: new Uint8Array(0) };
  const qpm = seq ? initialQpm(seq) : 120;
  return {
    family: 'folk',
    roll,
    primerFrames: Math.min(roll.frames, abcFrames(primer)),
    probabilities: null,
    secondsPerFrame: 60 / qpm / FOLK_STEPS_PER_QUARTER,
    notes: seq ? noteViews(seq) : [],
    midi: seq ? noteSequenceToMidi(seq) : null,
    abc: tune,
    abcProblem,
    primerNotes: [],
    millis,
    generatedFrames: Math.max(0, roll.frames - abcFrames(primer)),
    generatedChars,
  };
}

export function compose(
  loaded: LoadedMusicModel,
  req: GenerateRequest,
  onProgress?: (p: GenerateProgress) => void,
): GeneratedMusic {
  return loaded.family === 'roll' ? composeRoll(loaded, req, onProgress) : composeFolk(loaded, req, onProgress);
}

/** Note onsets of a roll (a key that sounds in a frame and not in the one before). */
function onsets(roll: PianoRoll): number {
  let n = 0;
  for (let i = 0; i < roll.frames * PIANO_KEYS; i++)
    if (roll.keys[i] === 1 && (i < PIANO_KEYS || roll.keys[i - PIANO_KEYS] !== 1)) n++;
  return n;
}

/** A primer read as the model would read it (errors are the readers' FormatError, naming the file). */
export function inspectPrimer(req: InspectPrimerRequest): PrimerSummary {
  if (req.family === 'roll') {
    const { roll, notes } = rollPrimer(req.primer, req.stepsPerQuarter);
    return { frames: roll.frames, notes: onsets(roll), notices: notes };
  }
  const text = folkPrimer(req.primer);
  const seq = abcToNoteSequence(text, {
    source: req.primer.kind === 'file' ? req.primer.name : 'primer',
    stepsPerQuarter: FOLK_STEPS_PER_QUARTER,
    strict: false,
  });
  return { frames: seq.totalQuantizedSteps ?? 0, notes: seq.notes.length, notices: [] };
}
