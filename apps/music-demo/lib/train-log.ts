// What the "Train it here" page holds of a run: every step's loss, every validation, every sample — appended from
// the worker's updates, which say where they start so nothing is lost or doubled across Pause / Resume.
import type { TrainingSample, TrainSettings, TrainUpdate, ValidationView } from './protocol';

export interface TrainLog {
  runId: number;
  settings: TrainSettings;
  step: number;
  totalSteps: number;
  epoch: number;
  seconds: number;
  parameters: number;
  losses: number[];
  validations: ValidationView[];
  samples: TrainingSample[];
  finished: boolean;
}

export function emptyTrainLog(runId: number, settings: TrainSettings): TrainLog {
  return {
    runId,
    settings,
    step: 0,
    totalSteps: 0,
    epoch: 0,
    seconds: 0,
    parameters: 0,
    losses: [],
    validations: [],
    samples: [],
    finished: false,
  };
}

function append<T>(held: readonly T[], first: number, more: readonly T[], what: string): T[] {
  if (first > held.length)
    throw new Error(`training update skips ${what}: it starts at ${first}, the page holds ${held.length}`);
  return [...held.slice(0, first), ...more];
}

/** The log with an update appended (an update starting before the end replaces what it repeats). */
export function appendTrainUpdate(log: TrainLog, u: TrainUpdate): TrainLog {
  if (u.runId !== log.runId) throw new Error(`training update of run ${u.runId} for run ${log.runId}`);
  return {
    ...log,
    step: u.step,
    totalSteps: u.totalSteps,
    epoch: u.epoch,
    seconds: u.seconds,
    parameters: u.parameters,
    losses: append(log.losses, u.firstLoss, u.losses, 'losses'),
    validations: append(log.validations, u.firstValidation, u.validations, 'validations'),
    samples: append(log.samples, u.firstSample, u.samples, 'samples'),
    finished: u.finished,
  };
}

/** The first validation at or below `target`, or null. */
export function targetReached(log: TrainLog, target: number): ValidationView | null {
  return log.validations.find((v) => v.nll <= target) ?? null;
}

/** Trailing mean over `window` values (shorter at the start). */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] ?? 0;
    if (i >= window) sum -= values[i - window] ?? 0;
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}
