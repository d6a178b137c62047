import { existsSync } from 'node:fs';
import {
  FormatError,
  optimizerStateFromTensors,
  optimizerStateToTensors,
  type Module,
  type Optimizer,
  type RecurrentState,
  type Tensor,
} from '@recurrent/core';
import { loadSafetensorsFile, saveSafetensorsFile } from '@recurrent/core/node';
import type { TrainConfig } from './config.js';

export const CHECKPOINT_FORMAT = 'recurrent-text-checkpoint';
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** One validation result in the training history. */
export interface ValidationRecord {
  epoch: number;
  step: number;
  /** Validation metrics, e.g. {accuracy, loss} or {nll, perplexity}. */
  metrics: Record<string, number>;
  /** Training loss averaged since the previous validation. */
  trainLoss: number;
  lr: number;
  seconds: number;
}

/** Where a run is and what it has seen: everything besides tensors that an exact resume needs. */
export interface TrainerState {
  /** Next epoch to run (or the one in progress) and the next batch index in it. */
  epoch: number;
  batch: number;
  /** Optimizer steps done. */
  step: number;
  tokens: number;
  /** Best validation value so far (lower is better: error rate or nll) and when. */
  best: { value: number; epoch: number; step: number; metrics: Record<string, number> } | null;
  badValidations: number;
  /** Training loss sum and count since the last validation. */
  lossSum: number;
  lossCount: number;
  history: ValidationRecord[];
  /** The model generator's state (dropout draws). */
  rng: number[];
  /** Seconds of training before this (resumed) process. */
  seconds: number;
  finished: boolean;
}

export interface CheckpointContents {
  config: TrainConfig;
  trainer: TrainerState;
  model: Record<string, Tensor>;
  optimizer: ReturnType<typeof optimizerStateFromTensors>;
  /** Hidden state carried between language-model windows (null for classifiers or at an epoch start). */
  carried: RecurrentState | null;
}

/** Write model + optimizer + trainer state (+ carried LM state) to one safetensors file, atomically. */
export function saveCheckpoint(path: string, c: { config: TrainConfig; trainer: TrainerState; model: Module; optimizer: Optimizer; carried: RecurrentState | null }): void {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(c.model.stateDict())) tensors[`model.${name}`] = t;
  const opt = optimizerStateToTensors(c.optimizer.stateDict());
  for (const [name, t] of Object.entries(opt.tensors)) tensors[`optimizer.${name}`] = t;
  if (c.carried) {
    tensors['carried.h'] = c.carried.h;
    if (c.carried.c) tensors['carried.c'] = c.carried.c;
  }
  saveSafetensorsFile(path, tensors, {
    format: CHECKPOINT_FORMAT,
    version: '1',
    config: JSON.stringify(c.config),
    trainer: JSON.stringify(c.trainer),
    optimizer: opt.metadata.optimizer!,
  });
}

/** Read a checkpoint written by saveCheckpoint; FormatError naming the file when it is not one. */
export function loadCheckpoint(path: string): CheckpointContents {
  if (!existsSync(path)) throw new FormatError(`${path}: no checkpoint here to resume from`);
  const { tensors, metadata } = loadSafetensorsFile(path);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new FormatError(`${path}: not a training checkpoint (metadata format is ${JSON.stringify(metadata.format)})`);
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? '');
    } catch {
      throw new FormatError(`${path}: metadata '${key}' is missing or not JSON`);
    }
  };
  const config = parse('config') as TrainConfig;
  const trainer = parse('trainer') as TrainerState;
  if (typeof trainer?.epoch !== 'number' || typeof trainer.step !== 'number' || !Array.isArray(trainer.rng)) throw new FormatError(`${path}: trainer state is incomplete`);
  const model: Record<string, Tensor> = {};
  const opt: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith('model.')) model[name.slice(6)] = t;
    else if (name.startsWith('optimizer.')) opt[name.slice(10)] = t;
  }
  let optimizer;
  try {
    optimizer = optimizerStateFromTensors(opt, { optimizer: metadata.optimizer ?? '' });
  } catch (e) {
    throw new FormatError(`${path}: ${(e as Error).message}`);
  }
  const h = tensors['carried.h'];
  const c = tensors['carried.c'];
  const carried: RecurrentState | null = h ? (c ? { h, c } : { h }) : null;
  return { config, trainer, model, optimizer, carried };
}
