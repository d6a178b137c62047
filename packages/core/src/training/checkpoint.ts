import { describeValue, FormatError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import { optimizerStateFromTensors, optimizerStateToTensors } from '../optim/state.js';
import { type DecodedSafetensors, decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import type { TrainerState } from './state.js';

export const TRAINING_CHECKPOINT_FORMAT = 'recurrent-training-checkpoint';
export const TRAINING_CHECKPOINT_FILE = 'checkpoint.safetensors';

/** State carried from one batch to the next inside an epoch (e.g. a language model's hidden state), by name. */
export type CarriedState = Record<string, Tensor>;

export interface TrainingCheckpoint<C = unknown> {
  /** The task the run trains (checked on resume). */
  task: string;
  config: C;
  trainer: TrainerState;
  model: Record<string, Tensor>;
  optimizer: OptimizerStateDict;
  /** Carried state at the checkpoint's position (null at an epoch start or for tasks without one). */
  carried: CarriedState | null;
}

/**
 * One safetensors file: `model.*` (state dict), `optimizer.*` (buffers), `carried.*` tensors; metadata `format`,
 * `task`, `config`, `trainer` (JSON) and `optimizer` (hyperparameters and steps).
 */
export function encodeTrainingCheckpoint(c: {
  task: string;
  config: unknown;
  trainer: TrainerState;
  model: Module;
  optimizer: Optimizer;
  carried: CarriedState | null;
}): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(c.model.stateDict())) tensors[`model.${name}`] = t;
  const opt = optimizerStateToTensors(c.optimizer.stateDict());
  for (const [name, t] of Object.entries(opt.tensors)) tensors[`optimizer.${name}`] = t;
  for (const [name, t] of Object.entries(c.carried ?? {})) tensors[`carried.${name}`] = t;
  return encodeSafetensors(tensors, {
    format: TRAINING_CHECKPOINT_FORMAT,
    version: '1',
    task: c.task,
    config: JSON.stringify(c.config),
    trainer: JSON.stringify(c.trainer),
    optimizer: opt.metadata.optimizer ?? '',
  });
}

export interface DecodeCheckpointOptions {
  /** Older format names also accepted (e.g. a task package's own checkpoint name from before the shared runner). */
  legacyFormats?: readonly string[];
}

/** Read a checkpoint written by encodeTrainingCheckpoint; FormatError starting with `source` when it is not one. */
export function decodeTrainingCheckpoint<C = unknown>(
  bytes: Uint8Array,
  source: string,
  options: DecodeCheckpointOptions = {},
): TrainingCheckpoint<C> {
  let decoded: DecodedSafetensors;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${source}: ${e.message}`);
    throw e;
  }
  const { tensors, metadata } = decoded;
  const formats = [TRAINING_CHECKPOINT_FORMAT, ...(options.legacyFormats ?? [])];
  if (!formats.includes(metadata.format ?? '')) {
    throw new FormatError(
      `${source}: not a training checkpoint (metadata format is ${describeValue(metadata.format)})`,
    );
  }
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? '');
    } catch {
      throw new FormatError(`${source}: metadata '${key}' is missing or not JSON`);
    }
  };
  const config = parse('config') as C;
  const trainer = parse('trainer') as TrainerState;
  if (typeof trainer?.epoch !== 'number' || typeof trainer.step !== 'number' || !Array.isArray(trainer.rng)) {
    throw new FormatError(`${source}: trainer state is incomplete`);
  }
  const model: Record<string, Tensor> = {};
  const opt: Record<string, Tensor> = {};
  const carried: CarriedState = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith('model.')) model[name.slice(6)] = t;
    else if (name.startsWith('optimizer.')) opt[name.slice(10)] = t;
    else if (name.startsWith('carried.')) carried[name.slice(8)] = t;
  }
  let optimizer: OptimizerStateDict;
  try {
    optimizer = optimizerStateFromTensors(opt, { optimizer: metadata.optimizer ?? '' });
  } catch (e) {
    throw new FormatError(`${source}: ${(e as Error).message}`);
  }
  const configTask = (config as { task?: unknown } | null)?.task;
  const task = metadata.task ?? (typeof configTask === 'string' ? configTask : '');
  return { task, config, trainer, model, optimizer, carried: Object.keys(carried).length > 0 ? carried : null };
}
