import type { SchedulerState } from '../optim/schedulers.js';

/** One validation result in the training history. */
export interface ValidationRecord {
  /** The (1-based) epoch during which it was measured. */
  epoch: number;
  step: number;
  /** Validation metrics, e.g. {accuracy, loss} or {nll, perplexity}. */
  metrics: Record<string, number>;
  /** Training loss averaged since the previous validation. */
  trainLoss: number;
  lr: number;
  seconds: number;
}

/** The best validation so far: `value` is the selection metric's value. */
export interface BestValidation {
  value: number;
  epoch: number;
  step: number;
  metrics: Record<string, number>;
}

/** Where a run is and what it has seen: everything besides tensors that an exact resume needs. */
export interface TrainerState {
  /** Next epoch to run (or the one in progress, 0-based) and the next batch index in it. */
  epoch: number;
  batch: number;
  /** Optimizer steps done. */
  step: number;
  /** Tokens (or other units a task counts) trained on. */
  tokens: number;
  best: BestValidation | null;
  badValidations: number;
  /** Training loss sum and count since the last validation. */
  lossSum: number;
  lossCount: number;
  history: ValidationRecord[];
  /** State of the task's first generator (dropout draws); `generators` holds all of them. */
  rng: number[];
  generators?: number[][];
  /** Optimizer steps the run planned at its start (epochs × steps per epoch, capped by maxSteps). */
  totalSteps?: number;
  /** The learning-rate schedule's position, when the task has one. */
  scheduler?: SchedulerState;
  /** Seconds of training before this (resumed) process. */
  seconds: number;
  finished: boolean;
}

export function freshTrainerState(generators: number[][]): TrainerState {
  return {
    epoch: 0,
    batch: 0,
    step: 0,
    tokens: 0,
    best: null,
    badValidations: 0,
    lossSum: 0,
    lossCount: 0,
    history: [],
    rng: generators[0] ?? [],
    generators,
    seconds: 0,
    finished: false,
  };
}

/** Metrics as one line: `accuracy 0.8125, loss 0.4312`. */
export function formatMetrics(m: Record<string, number>): string {
  return Object.entries(m)
    .map(
      ([k, v]) =>
        `${k} ${Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(k === 'accuracy' ? 4 : 2) : v.toFixed(4)}`,
    )
    .join(', ');
}
