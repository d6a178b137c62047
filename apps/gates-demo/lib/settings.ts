// What the visitor sets before a race, its defaults and bounds, and the check the page runs before starting one.
import type { LongRangeTaskName } from '@recurrent/core';

export interface RaceSettings {
  task: LongRangeTaskName;
  /** Adding: sequence length T. Copy: the delay T (the sequence is T + 20 steps long). */
  length: number;
  /** Training steps (the budget every cell gets). */
  steps: number;
  hiddenSize: number;
  batchSize: number;
  lr: number;
  /** Global gradient-norm threshold, or null for no clipping. */
  clip: number | null;
  /** Multiplies every W_hh at initialisation (the IRNN's identity becomes scale·I). */
  recurrentScale: number;
  /** Added to the LSTM's forget-gate bias at initialisation. */
  lstmForgetBias: 0 | 1;
  seed: number;
}

/**
 * The default race: the adding problem at T = 50 with 32 hidden units, short enough that the GRU solves it within
 * about a minute of browser time (see the README for the measurement) while the tanh RNN and the LSTM (forget bias 0)
 * stay on the input-blind plateau.
 */
export const DEFAULT_SETTINGS: RaceSettings = {
  task: 'adding',
  length: 50,
  steps: 800,
  hiddenSize: 32,
  batchSize: 32,
  lr: 3e-3,
  clip: null,
  recurrentScale: 1,
  lstmForgetBias: 0,
  seed: 0,
};

export const LIMITS = {
  length: { min: 10, max: 200 },
  steps: { min: 10, max: 20_000 },
  clip: { min: 0.01, max: 100 },
  recurrentScale: { min: 0.25, max: 3 },
  seed: { min: 0, max: 1_000_000 },
} as const;

export const HIDDEN_SIZES = [16, 32, 64, 128] as const;
export const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] as const;
export const BATCH_SIZES = [16, 32, 64] as const;

/** The threshold the clipping box starts at when turned on. */
export const DEFAULT_CLIP = 1;

function inRange(name: string, value: number, min: number, max: number, integer: boolean): string | null {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    return `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${value})`;
  }
  return null;
}

/** What is wrong with `s` (an empty list when it can be raced). */
export function settingsProblems(s: RaceSettings): string[] {
  const problems = [
    s.task === 'adding' || s.task === 'copy' ? null : `unknown task ${JSON.stringify(s.task)}`,
    inRange('T', s.length, LIMITS.length.min, LIMITS.length.max, true),
    inRange('The budget', s.steps, LIMITS.steps.min, LIMITS.steps.max, true),
    (HIDDEN_SIZES as readonly number[]).includes(s.hiddenSize) ? null : `hidden size ${s.hiddenSize} is not offered`,
    (BATCH_SIZES as readonly number[]).includes(s.batchSize) ? null : `batch size ${s.batchSize} is not offered`,
    Number.isFinite(s.lr) && s.lr > 0 && s.lr <= 0.1 ? null : `the learning rate must be in (0, 0.1] (got ${s.lr})`,
    s.clip === null ? null : inRange('The clipping threshold', s.clip, LIMITS.clip.min, LIMITS.clip.max, false),
    inRange('The recurrent scale', s.recurrentScale, LIMITS.recurrentScale.min, LIMITS.recurrentScale.max, false),
    s.lstmForgetBias === 0 || s.lstmForgetBias === 1
      ? null
      : `the forget bias must be 0 or 1 (got ${s.lstmForgetBias})`,
    inRange('The seed', s.seed, LIMITS.seed.min, LIMITS.seed.max, true),
  ];
  return problems.filter((p): p is string => p !== null);
}

/** Steps between two gradient profiles: about twenty per run, at least every 10 steps apart. */
export function profileEvery(steps: number): number {
  return Math.max(10, Math.round(steps / 20 / 10) * 10);
}
