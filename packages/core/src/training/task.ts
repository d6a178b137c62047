import type { ReportProgress } from '../progress.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Generator } from '../random.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/schedulers.js';
import type { CarriedState } from './checkpoint.js';
import type { RunnerConfig } from './config.js';
import type { BestValidation, TrainerState, ValidationRecord } from './state.js';

/** What a task's `step` returns for one batch. */
export interface BatchLoss {
  /** Scalar training loss; the runner runs backward, clipping and the optimizer step. */
  loss: Tensor;
  /** Tokens (or examples, frames …) in the batch: shown as a rate and summed in the trainer state. */
  tokens?: number;
  /** State to hand to the next batch of the epoch (detach it first); omit for none. Reset to null at each epoch. */
  carried?: CarriedState | null;
}

/** Which validation metric picks the best model: `mode` 'min' (loss, nll) or 'max' (accuracy), as ReduceLROnPlateau. */
export interface MetricSelection {
  metric: string;
  mode: 'min' | 'max';
}

/** What the runner hands to `saveModel` when a validation improves on the best. */
export interface SavedModelInfo {
  /** For config.json's `training`: task, command, data description, the full config, best epoch and step. */
  training: Record<string, unknown>;
  /** For metrics.json: `valid` (the best metrics), `best`, `history`, `parameters`, `seconds`, `command`. */
  metrics: Record<string, unknown>;
  record: ValidationRecord;
}

/** Passed to a task's `build`. */
export interface BuildContext {
  /** Where the run writes (the model directory); null when the run has no directory (e.g. in a browser). */
  outDir: string | null;
  /** True when a checkpoint will be restored into what `build` returns (so do not redo one-time setup). */
  resuming: boolean;
  log: (line: string) => void;
}

/** Everything of one run that the runner drives: made by a task definition's `build` for a config. */
export interface TaskRun<B> {
  model: Module;
  /** Generators the model draws from while training (dropout); their states are checkpointed and restored. */
  generators?: readonly Generator[];
  /** One line logged at the start (data sizes, vocabulary …); the runner adds the parameter count. */
  summary?: string;
  /** Recorded in config.json (`training.data`). */
  dataDescription?: string;
  /** Optimizer steps in one epoch (for the progress bar); default: the length of the first epoch's batches. */
  stepsPerEpoch?: number;
  /**
   * Optimizer steps of the whole run, for tasks whose epochs differ in length (a pretraining phase first); the
   * progress bar's total, its ETA and an lr schedule's length. Default: steps per epoch × epochs.
   */
  plannedSteps?: number;
  /** Examples (sentences, sequences, tunes …) in the training set: 0 is refused before training starts. */
  trainingExamples?: number;
  /** Examples in the validation set: 0 is refused before training starts (nothing to select the best model by). */
  validationExamples?: number;
  /** The batches of an epoch, in order: a function of (config.seed, epoch) only, so a resumed run is exact. */
  epochBatches(epoch: number): readonly B[];
  /** Forward pass and loss of one batch (training mode, gradients on). */
  step(batch: B, carried: CarriedState | null): BatchLoss;
  /**
   * Validation metrics (called in eval mode under noGrad); must include the selection metric. Call `progress` after
   * each batch (done, total): the runner prints a line every few seconds once an evaluation has run a few seconds.
   */
  evaluate(progress: ReportProgress): Record<string, number>;
  /** Write the model (the best so far) to wherever it goes, e.g. outDir's model files + metrics.json. */
  saveModel(info: SavedModelInfo): void;
}

/**
 * A training task: the unit of extension of the runner. The runner owns the loop, validation, best-model selection,
 * early stopping, lr decay / schedules, clipping, NaN guards, progress, metrics and exact checkpoint/resume.
 * `D` is the data the run gets (already read), `B` a batch.
 */
export interface TrainingTaskDefinition<C extends RunnerConfig, D, B> {
  /** Names the task in logs and checkpoints when the config has no `task` key. */
  name: string;
  selection: MetricSelection;
  /** Build the model (and tokenizer …) and the batch/loss/evaluation functions for a config and its data. */
  build(config: C, data: D, context: BuildContext): TaskRun<B>;
  /** Optional lr schedule, stepped after every optimizer step and checkpointed (default: none). */
  lrScheduler?(optimizer: Optimizer, config: C, totalSteps: number): LRScheduler | null;
  /** Optional optimizer (default: makeOptimizer(config, model.parameters())). */
  optimizer?(model: Module, config: C): Optimizer;
  /** Checkpoint format names this task wrote before the shared runner, still accepted on resume. */
  legacyCheckpointFormats?: readonly string[];
}

/** The result of a run. */
export interface TrainResult<C = unknown> {
  outDir: string | null;
  /** The config the run trained with (on resume: the checkpoint's). */
  config: C;
  trainer: TrainerState;
  /** False when the run stopped without any validation result (e.g. maxSteps before the first validation). */
  savedModel: boolean;
  best: BestValidation | null;
}
