// Node-only: files of a training run (atomic writes, the checkpoint file, runs in a directory).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import {
  decodeTrainingCheckpoint,
  TRAINING_CHECKPOINT_FILE,
  type DecodeCheckpointOptions,
  type TrainingCheckpoint,
} from './checkpoint.js';
import type { RunnerConfig } from './config.js';
import { trainingLoop, type CheckpointStore, type TrainingLoopOptions } from './loop.js';
import type { TrainingTaskDefinition, TrainResult } from './task.js';

function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  // A plain Uint8Array view (Node's Buffer.slice shares memory, which the safetensors decoder relies on copying).
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A checkpoint kept in one file, replaced atomically. */
export function fileCheckpointStore(path: string): CheckpointStore {
  return {
    name: path,
    exists: () => existsSync(path),
    read: () => {
      if (!existsSync(path)) throw new FormatError(`${path}: no checkpoint here to resume from`);
      return readBytes(path);
    },
    write: (bytes) => writeFileAtomic(path, bytes),
  };
}

/** Read a training checkpoint file (FormatError naming the file when it is missing or not one). */
export function loadTrainingCheckpoint<C = unknown>(
  path: string,
  options: DecodeCheckpointOptions = {},
): TrainingCheckpoint<C> {
  if (!existsSync(path)) throw new FormatError(`${path}: no checkpoint here to resume from`);
  return decodeTrainingCheckpoint<C>(readBytes(path), path, options);
}

/** Options of a run in a directory. */
export interface RunOptions extends Omit<TrainingLoopOptions, 'store' | 'outDir'> {
  /** Output directory: the best model's files, metrics.json and checkpoint.safetensors go here. */
  outDir: string;
}

/**
 * trainingLoop with its checkpoint in `outDir/checkpoint.safetensors`: refuses to start over an existing run unless
 * `resume`, creates the directory otherwise.
 */
export function runTraining<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  config: C,
  data: D | ((config: C) => D),
  options: RunOptions,
): TrainResult<C> & { outDir: string } {
  const store = fileCheckpointStore(join(options.outDir, TRAINING_CHECKPOINT_FILE));
  if (!options.resume && !store.exists()) mkdirSync(options.outDir, { recursive: true });
  const result = trainingLoop(definition, config, data, { ...options, store, outDir: options.outDir });
  return { ...result, outDir: options.outDir };
}
