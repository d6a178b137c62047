// The requests the pages send to their Web Workers (lib/inference.worker.ts generates, lib/training.worker.ts trains)
// and what they answer; the channel itself (lanes, cancellation, model loading, errors) is @recurrent/demo-kit's.
import type { ModelManifest } from '@recurrent/demo-kit';
import type { ShippedMusicModel } from './model-card';

export type Manifest = ModelManifest<ShippedMusicModel>;

/** A built-in piano-roll primer: the first frames of a test piece, as the MIDI pitches of each frame. */
export interface RollPrimer {
  id: string;
  title: string;
  pitches: number[][];
}

/** A built-in folk primer: the header and first line of a test tune. */
export interface AbcPrimer {
  id: string;
  title: string;
  abc: string;
}

/** public/primers/primers.json (scripts/copy-assets.ts): roll primers by data set, folk primers. */
export interface PrimerLibrary {
  roll: Record<string, RollPrimer[]>;
  abc: AbcPrimer[];
}

/** What the model continues. */
export type PrimerInput =
  | { kind: 'none' }
  | { kind: 'pitches'; pitches: number[][] }
  | { kind: 'abc'; abc: string }
  | { kind: 'file'; name: string; bytes: Uint8Array };

export interface GenerateRequest {
  type: 'generate';
  model: string;
  primer: PrimerInput;
  /** Frames to add (piano-roll models) or characters at most (the folk model). */
  length: number;
  temperature: number;
  seed: number;
}

/** A note to play, in seconds. */
export interface NoteView {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

/** A piano roll as sent over the channel: `keys[f * 88 + k]` = MIDI pitch 21 + k sounds in frame f. */
export interface RollView {
  frames: number;
  keys: Uint8Array;
}

export interface GeneratedMusic {
  family: 'roll' | 'folk';
  /** Primer then continuation, on the model's frame grid (the folk tune's notes at 4 steps a quarter). */
  roll: RollView;
  primerFrames: number;
  /** [generated frames × 88]: each key's probability as the model gave it when drawing (piano-roll models). */
  probabilities: Float32Array | null;
  /** Seconds per frame at the piece's tempo (the cursor's and the player's clock). */
  secondsPerFrame: number;
  notes: NoteView[];
  /** A Standard MIDI File of the whole piece (null when the folk model's text does not parse). */
  midi: Uint8Array | null;
  /** The folk model's tune (primer and continuation) as ABC text. */
  abc: string | null;
  /** Why the folk tune has no notes (abcjs's message), null when it has. */
  abcProblem: string | null;
  /** What happened to the primer on the way in (cut, notes dropped), for the page's notices. */
  primerNotes: string[];
  /** Generation time in the worker (model calls only) and what it produced. */
  millis: number;
  generatedFrames: number;
  generatedChars: number;
}

/** Streamed while generating (ctx.update). */
export interface GenerateProgress {
  done: number;
  total: number;
  unit: 'frames' | 'characters';
}

/** Read a primer as a model of `family` on `stepsPerQuarter` would, without generating (checks an upload at once). */
export interface InspectPrimerRequest {
  type: 'inspect-primer';
  family: 'roll' | 'folk';
  stepsPerQuarter: number;
  primer: PrimerInput;
}

export interface PrimerSummary {
  /** Frames on the model's grid (the folk model: its notes at 4 steps a quarter). */
  frames: number;
  notes: number;
  /** What happened on the way in (cut, notes dropped). */
  notices: string[];
}

export type MusicRequest = GenerateRequest | InspectPrimerRequest;

export interface MusicResponses {
  generate: GeneratedMusic;
  'inspect-primer': PrimerSummary;
}

/** Settings of "Train it here" (the rest is the jsb task's defaults). */
export interface TrainSettings {
  hiddenSize: number;
  epochs: number;
  lr: number;
  seed: number;
}

/**
 * Train run `runId`. The worker keeps one run: a new runId starts it from `settings`, the same runId continues where
 * it stopped (Pause cancels the request, Resume sends it again). `haveLosses` / `haveValidations` / `haveSamples` say
 * what the page already holds.
 */
export interface TrainRequest {
  type: 'train';
  runId: number;
  settings: TrainSettings;
  haveLosses: number;
  haveValidations: number;
  haveSamples: number;
}

export interface ValidationView {
  epoch: number;
  step: number;
  nll: number;
  trainLoss: number;
  seconds: number;
}

/** 32 frames sampled from the best model after a validation that improved on the best. */
export interface TrainingSample {
  epoch: number;
  validNll: number;
  roll: RollView;
  notes: NoteView[];
  secondsPerFrame: number;
}

export interface TrainUpdate {
  runId: number;
  step: number;
  totalSteps: number;
  epoch: number;
  /** Wall-clock seconds of training (the runner's clock). */
  seconds: number;
  parameters: number;
  firstLoss: number;
  losses: number[];
  firstValidation: number;
  validations: ValidationView[];
  firstSample: number;
  samples: TrainingSample[];
  finished: boolean;
}

export interface TrainResponse {
  runId: number;
  step: number;
  bestNll: number | null;
  seconds: number;
}

export type TrainingRequest = TrainRequest;

export interface TrainingResponses {
  train: TrainResponse;
}

/** A runtime check of a streamed generation update (the channel carries `unknown`). */
export function isGenerateProgress(value: unknown): value is GenerateProgress {
  const v = value as Partial<GenerateProgress> | null;
  return typeof v === 'object' && v !== null && typeof v.done === 'number' && typeof v.total === 'number';
}

/** A runtime check of a streamed training update. */
export function isTrainUpdate(value: unknown): value is TrainUpdate {
  const u = value as Partial<TrainUpdate> | null;
  return (
    typeof u === 'object' &&
    u !== null &&
    typeof u.runId === 'number' &&
    Array.isArray(u.losses) &&
    Array.isArray(u.validations) &&
    Array.isArray(u.samples)
  );
}
