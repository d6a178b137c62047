import {
  TRAINING_CHECKPOINT_FILE,
  type OptimizerStateDict,
  type RecurrentState,
  type Tensor,
  type TrainerState,
  type ValidationRecord,
} from '@recurrent/core';
import { loadTrainingCheckpoint } from '@recurrent/core/node';
import type { TrainConfig } from './config.js';

export type { TrainerState, ValidationRecord };

/** The format name checkpoints of this package had before the shared runner; still accepted on resume. */
export const LEGACY_CHECKPOINT_FORMAT = 'recurrent-text-checkpoint';
export const CHECKPOINT_FILE = TRAINING_CHECKPOINT_FILE;

export interface CheckpointContents {
  config: TrainConfig;
  trainer: TrainerState;
  model: Record<string, Tensor>;
  optimizer: OptimizerStateDict;
  /** Hidden state carried between language-model windows (null for classifiers or at an epoch start). */
  carried: RecurrentState | null;
}

/** Read a text-task checkpoint (core's training checkpoint); FormatError naming the file when it is not one. */
export function loadCheckpoint(path: string): CheckpointContents {
  const c = loadTrainingCheckpoint<TrainConfig>(path, { legacyFormats: [LEGACY_CHECKPOINT_FORMAT] });
  const h = c.carried?.h;
  const cell = c.carried?.c;
  const carried: RecurrentState | null = h ? (cell ? { h, c: cell } : { h }) : null;
  return { config: c.config, trainer: c.trainer, model: c.model, optimizer: c.optimizer, carried };
}
