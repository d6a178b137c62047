import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Adam, AdamW, clipGradNorm, FormatError, ProgressBar, SGD, ValueError, type Module, type Optimizer, type Tensor } from '@recurrent/core';
import { CHECKPOINT_FILE, loadCheckpoint, type CheckpointContents, type TrainerState, type ValidationRecord } from './checkpoint.js';
import type { TrainConfig } from './config.js';

/** Thrown when the training loss stops being a finite number; the last checkpoint on disk is left as it was. */
export class NonFiniteLossError extends ValueError {}

/** Thrown by a run told to stop after a given step (simulates a killed process in tests). */
export class TrainingInterrupted extends Error {
  constructor(readonly step: number) {
    super(`training interrupted after step ${step} (checkpoint written)`);
  }
}

/** Options of one training run (not part of the saved config). */
export interface RunOptions {
  /** Output directory: the best model's files and the resumable checkpoint go here. */
  outDir: string;
  /** Continue from outDir/checkpoint.safetensors. */
  resume?: boolean;
  /** Messages (validation results, checkpoints); default: stderr. */
  log?: (line: string) => void;
  /** Progress bar output; default: stderr. Pass null for none. */
  progress?: ((text: string) => void) | null;
  /** The command line that started the run, recorded in config.json. */
  command?: string;
  /** Stop right after the checkpoint of this step, as if the process were killed (tests). */
  stopAfterStep?: number;
}

export interface TrainResult {
  outDir: string;
  trainer: TrainerState;
  /** False when the run stopped without any validation result (e.g. maxSteps before the first validation). */
  savedModel: boolean;
}

export function makeOptimizer(config: TrainConfig, params: Tensor[]): Optimizer {
  switch (config.optimizer) {
    case 'adam':
      return new Adam(params, { lr: config.lr, weightDecay: config.weightDecay });
    case 'adamw':
      return new AdamW(params, { lr: config.lr, weightDecay: config.weightDecay });
    case 'sgd':
      return new SGD(params, { lr: config.lr, weightDecay: config.weightDecay });
  }
}

export function freshTrainerState(rng: number[]): TrainerState {
  return { epoch: 0, batch: 0, step: 0, tokens: 0, best: null, badValidations: 0, lossSum: 0, lossCount: 0, history: [], rng, seconds: 0, finished: false };
}

/** Prepare the output directory: refuse to overwrite a run unless resuming; load the checkpoint when resuming. */
export function openRun(options: RunOptions): CheckpointContents | null {
  const path = join(options.outDir, CHECKPOINT_FILE);
  if (options.resume) return loadCheckpoint(path);
  if (existsSync(path)) throw new ValueError(`${options.outDir} already holds a training run (${CHECKPOINT_FILE}); pass --resume to continue it or choose another --out`);
  mkdirSync(options.outDir, { recursive: true });
  return null;
}

export function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function progressBar(options: RunOptions, total: number, label: string): ProgressBar | null {
  if (options.progress === null) return null;
  return new ProgressBar({ total, label, write: options.progress, every: Math.max(1, Math.min(50, Math.round(total / 200))) });
}

/** Backward, clip and step; throws NonFiniteLossError (before touching the weights) when the loss is not finite. */
export function optimizerStep(loss: Tensor, model: Module, optimizer: Optimizer, config: TrainConfig, where: string): number {
  const value = loss.item();
  if (!Number.isFinite(value)) {
    throw new NonFiniteLossError(`training loss is ${value} at ${where}; stopping. The last checkpoint was kept as it was (the weights of this step were not saved); lower the learning rate or enable clipping and resume or restart`);
  }
  loss.backward();
  if (config.clip > 0) {
    const norm = clipGradNorm(model, config.clip);
    if (!Number.isFinite(norm)) {
      optimizer.zeroGrad();
      throw new NonFiniteLossError(`gradient norm is ${norm} at ${where}; stopping. The last checkpoint was kept as it was`);
    }
  }
  optimizer.step();
  optimizer.zeroGrad();
  return value;
}

/** Refuse to checkpoint weights that are no longer finite (the previous checkpoint stays the last good one). */
export function assertFiniteWeights(model: Module, where: string): void {
  for (const [name, p] of model.namedParameters()) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]!)) throw new NonFiniteLossError(`weight '${name}' became ${d[i]} at ${where}; stopping without writing a checkpoint, the last one on disk is kept`);
    }
  }
}

/**
 * Record a validation (lower `value` is better) and apply early stopping and lr decay. Returns whether it improved
 * and whether training should stop.
 */
export function recordValidation(
  trainer: TrainerState,
  record: ValidationRecord,
  value: number,
  config: TrainConfig,
  optimizer: Optimizer,
): { improved: boolean; stop: boolean } {
  trainer.history.push(record);
  trainer.lossSum = 0;
  trainer.lossCount = 0;
  const improved = trainer.best === null || value < trainer.best.value;
  if (improved) {
    trainer.best = { value, epoch: record.epoch, step: record.step, metrics: record.metrics };
    trainer.badValidations = 0;
  } else {
    trainer.badValidations++;
    if (config.lrDecay < 1) optimizer.lr *= config.lrDecay;
  }
  return { improved, stop: config.patience > 0 && trainer.badValidations >= config.patience };
}

export function formatMetrics(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(k === 'accuracy' ? 4 : 2) : v.toFixed(4)}`)
    .join(', ');
}

/** A checkpoint's config must match the run's task (resume uses the checkpoint's config). */
export function checkResumeTask(ckpt: CheckpointContents, task: string, outDir: string): void {
  if (ckpt.config.task !== task) throw new FormatError(`${join(outDir, CHECKPOINT_FILE)}: this checkpoint trains '${ckpt.config.task}', not '${task}'`);
}
