// Node-only: files of a training run (atomic writes, the checkpoint file, runs in a directory).
import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, ValueError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { ensureDirectory, readFileChecked } from '../io/file-checks.js';
import {
  decodeTrainingCheckpoint,
  TRAINING_CHECKPOINT_FILE,
  type DecodeCheckpointOptions,
  type TrainingCheckpoint,
} from './checkpoint.js';
import type { RunnerConfig } from './config.js';
import { trainingLoop, trainingLoopAsync, type CheckpointStore, type TrainingLoopOptions } from './loop.js';
import { acquireRunLock } from './run-lock.js';
import type { TrainingTaskDefinition, TrainResult } from './task.js';

/** The file that makes a directory a saved model (the registry's MODEL_CONFIG_FILE; training does not import it). */
const SAVED_MODEL_CONFIG = 'config.json';

function readCheckpointBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new FormatError(`${path}: no checkpoint here to resume from`);
  return readFileChecked(path, 'a training checkpoint');
}

/** A checkpoint kept in one file, replaced atomically. */
export function fileCheckpointStore(path: string): CheckpointStore {
  return {
    name: path,
    exists: () => existsSync(path),
    read: () => readCheckpointBytes(path),
    write: (bytes) => writeFileAtomic(path, bytes),
  };
}

/** Read a training checkpoint file (FormatError naming the file when it is missing or not one). */
export function loadTrainingCheckpoint<C = unknown>(
  path: string,
  options: DecodeCheckpointOptions = {},
): TrainingCheckpoint<C> {
  return decodeTrainingCheckpoint<C>(readCheckpointBytes(path), path, options);
}

/** Options of a run in a directory. */
export interface RunOptions extends Omit<TrainingLoopOptions, 'store' | 'outDir'> {
  /** Output directory: the best model's files, metrics.json and checkpoint.safetensors go here. */
  outDir: string;
  /**
   * Start a new run even though `outDir` holds a saved model or a run (the old checkpoint is deleted first; the model
   * files are replaced when the new run saves its first best model). Without it, either is refused.
   */
  force?: boolean;
}

/** The saved-model files in `dir` worth naming in a refusal (config.json and the weights beside it). */
function savedModelFiles(dir: string): string[] {
  if (!existsSync(join(dir, SAVED_MODEL_CONFIG))) return [];
  const weights = readdirSync(dir).filter((f) => f.endsWith('.safetensors') && f !== TRAINING_CHECKPOINT_FILE);
  return [SAVED_MODEL_CONFIG, ...weights.sort()];
}

/**
 * The directory checks before a run: `outDir` made a directory (a file in the way is a ValueError), and without
 * `resume` or `force`, a directory that holds a run (checkpoint) or a saved model (config.json …) is refused.
 */
function prepareRunDirectory(options: RunOptions, checkpointPath: string): void {
  const dir = options.outDir;
  if (options.resume) {
    if (!existsSync(checkpointPath)) throw new FormatError(`${checkpointPath}: no checkpoint here to resume from`);
    if (statSync(checkpointPath).isDirectory())
      throw new FormatError(`${checkpointPath}: is a directory, expected a file (a training checkpoint)`);
    return;
  }
  if (existsSync(checkpointPath)) {
    if (options.force) {
      unlinkSync(checkpointPath);
      return;
    }
    throw new ValueError(
      `${dir} already holds a training run (${checkpointPath}); pass --resume to continue it, ` +
        '--force to start a new run over it, or choose another --out',
    );
  }
  const model = savedModelFiles(dir);
  if (model.length > 0 && !options.force)
    throw new ValueError(
      `${dir} already holds a trained model (${model.join(', ')}) and no checkpoint to resume; ` +
        'pass --force to train a new model over it (or --resume where a checkpoint exists), or choose another --out',
    );
}

function directoryRun(options: RunOptions): { store: CheckpointStore; release: () => void } {
  const checkpointPath = join(options.outDir, TRAINING_CHECKPOINT_FILE);
  if (options.resume && !existsSync(options.outDir))
    throw new FormatError(`${checkpointPath}: no checkpoint here to resume from (${options.outDir} does not exist)`);
  ensureDirectory(options.outDir, 'output directory');
  const lock = acquireRunLock(options.outDir, { command: options.command ?? null });
  try {
    prepareRunDirectory(options, checkpointPath);
  } catch (e) {
    lock.release();
    throw e;
  }
  return { store: fileCheckpointStore(checkpointPath), release: lock.release };
}

/**
 * trainingLoop with its checkpoint in `outDir/checkpoint.safetensors`, holding the directory's run lock (run.lock:
 * a second run on the same directory is refused while the first is alive). Refuses a directory that holds a run or a
 * saved model unless `resume` (continue the run) or `force` (start over); creates the directory otherwise.
 */
export function runTraining<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  config: C,
  data: D | ((config: C) => D),
  options: RunOptions,
): TrainResult<C> & { outDir: string } {
  const { store, release } = directoryRun(options);
  try {
    const result = trainingLoop(definition, config, data, { ...options, store, outDir: options.outDir });
    return { ...result, outDir: options.outDir };
  } finally {
    release();
  }
}

/** runTraining on trainingLoopAsync: signal handlers (see `interrupted`) and timers run between steps. */
export async function runTrainingAsync<C extends RunnerConfig, D, B>(
  definition: TrainingTaskDefinition<C, D, B>,
  config: C,
  data: D | ((config: C) => D),
  options: RunOptions,
): Promise<TrainResult<C> & { outDir: string }> {
  const { store, release } = directoryRun(options);
  try {
    const result = await trainingLoopAsync(definition, config, data, { ...options, store, outDir: options.outDir });
    return { ...result, outDir: options.outDir };
  } finally {
    release();
  }
}
