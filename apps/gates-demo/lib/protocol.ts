// What the page asks the training worker (lib/training.worker.ts) and what it streams back. The channel itself
// (lanes, cancellation, errors) is @recurrent/demo-kit's.
import type { CellName, GradientProfile } from '@recurrent/core';
import type { RaceSettings } from './settings';

/**
 * Train run `runId` up to `settings.steps`. The worker keeps one run: a new runId starts a new one (a fresh
 * CellComparison from `settings`), the same runId continues where the run stopped (Pause cancels the request,
 * Start sends it again). `haveSteps` / `haveProfiles` say what the page already holds, so nothing is lost or
 * repeated when a request was cancelled between two updates.
 */
export interface TrainRequest {
  type: 'train';
  runId: number;
  settings: RaceSettings;
  haveSteps: number;
  haveProfiles: number;
}

export type GatesRequest = TrainRequest;

/** One cell's result of one training step (as CellComparison's trainStep reports it). */
export interface CellStepRecord {
  loss: number;
  gradNorm: number;
  clipped: boolean;
  diverged: boolean;
}

/** One training step of every cell, in the order of `TrainUpdate.cells`. */
export type StepRecord = CellStepRecord[];

/** ‖∂L/∂h_t‖ of every cell on the fixed probe batch, measured after `step` training steps. */
export interface ProfileRecord {
  step: number;
  profiles: GradientProfile[];
}

/** Streamed while training (ctx.update): the steps and profiles the page does not hold yet. */
export interface TrainUpdate {
  runId: number;
  cells: CellName[];
  /** Index of the first of `steps` (0-based: the record of training step firstStep + 1). */
  firstStep: number;
  steps: StepRecord[];
  firstProfile: number;
  profiles: ProfileRecord[];
  /** Wall-clock milliseconds the worker has spent training this run. */
  millis: number;
}

export interface HeldOutLoss {
  cell: CellName;
  loss: number;
}

/** The answer once the budget is spent. */
export interface TrainResponse {
  runId: number;
  step: number;
  heldOut: HeldOutLoss[];
  millis: number;
}

export interface GatesResponses {
  train: TrainResponse;
}

/** A runtime check of a streamed update (the channel carries `unknown`). */
export function isTrainUpdate(value: unknown): value is TrainUpdate {
  if (typeof value !== 'object' || value === null) return false;
  const u = value as Partial<TrainUpdate>;
  return (
    typeof u.runId === 'number' &&
    Array.isArray(u.cells) &&
    typeof u.firstStep === 'number' &&
    Array.isArray(u.steps) &&
    typeof u.firstProfile === 'number' &&
    Array.isArray(u.profiles)
  );
}
