// Node-only: files of a training run (atomic writes, the checkpoint file, runs in a directory).
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FormatError } from '../errors.js';
import {
  decodeTrainingCheckpoint,
  TRAINING_CHECKPOINT_FILE,
  type DecodeCheckpointOptions,
  type TrainingCheckpoint,
} from './checkpoint.js';
import type { RunnerConfig } from './config.js';
import { trainingLoop, type CheckpointStore, type TrainingLoopOptions } from './loop.js';
import type { TrainingTaskDefinition, TrainResult } from './task.js';

/**
 * Write `data` to `path` atomically: a temporary file beside it, flushed to disk, renamed into place. A kill at any
 * moment leaves either the old file or the new one under `path`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  const fd = openSync(tmp, 'wx');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

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
