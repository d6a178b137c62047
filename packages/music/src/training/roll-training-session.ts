// A piano-roll training run that advances a few steps at a time, for a browser (a Web Worker between two messages):
// core's runner (trainingLoop) with this package's roll task, checkpointed to memory after every chunk and resumed
// from it, so the run is the same as one uninterrupted trainingLoop call. No file system: browser-safe.
import {
  decodeTrainingCheckpoint,
  TrainingInterrupted,
  trainingLoop,
  ValueError,
  type BestValidation,
  type CheckpointStore,
  type TrainingTaskDefinition,
  type ValidationRecord,
} from '@recurrent/core';
import type { PianoRollSplits } from '../datasets/piano-roll-json.js';
import type { RollBatch } from '../models/batch.js';
import { encodeRollModel, loadRollModelFromBytes, type RollModel } from '../models/config.js';
import { checkRollTrainConfig, createRollTask, type RollTrainConfig } from './roll-task-definition.js';

/** A checkpoint held in memory (the runner's store for a run without a file system). */
export function memoryCheckpointStore(name = 'in-memory checkpoint'): CheckpointStore & { bytes: Uint8Array | null } {
  const store = {
    name,
    bytes: null as Uint8Array | null,
    exists: () => store.bytes !== null,
    read: (): Uint8Array => {
      if (store.bytes === null) throw new ValueError(`${name}: no checkpoint written yet`);
      return store.bytes;
    },
    write: (bytes: Uint8Array): void => {
      store.bytes = bytes;
    },
  };
  return store;
}

/** Where a run stands after `advance`. */
export interface RollTrainingProgress {
  /** Optimizer steps done. */
  step: number;
  /** The run's planned length in steps (epochs × steps per epoch, or maxSteps). */
  totalSteps: number;
  /** Epochs completed. */
  epoch: number;
  /** Training loss (nats per frame) of every step, in order. */
  stepLosses: number[];
  /** Every validation so far (the runner's history: epoch, step, metrics.nll, trainLoss, lr, seconds). */
  history: ValidationRecord[];
  best: BestValidation | null;
  /** The runner's time so far, in seconds. */
  seconds: number;
  /** True when the run ended (all epochs, maxSteps, or early stopping). */
  finished: boolean;
}

export interface RollTrainingSessionOptions {
  /** Messages of the runner (start, resumption, validations); default: none. */
  log?: (line: string) => void;
  /** Recorded as the run's command in the best model's config.json. */
  command?: string;
}

/**
 * One run of a piano-roll task on in-memory data (`train` and `valid` splits; `test` is not read). `advance(n)` trains
 * up to n more steps through core's runner and returns where the run stands; the best model so far (by validation
 * NLL) is kept as model files (`bestModelFiles`, the format of a shipped model directory) and as a model to sample
 * (`bestModel`).
 */
export class RollTrainingSession {
  readonly config: RollTrainConfig;
  private readonly data: PianoRollSplits;
  private readonly store = memoryCheckpointStore();
  private readonly task: TrainingTaskDefinition<RollTrainConfig, PianoRollSplits, RollBatch>;
  private readonly options: RollTrainingSessionOptions;
  private readonly losses: number[] = [];
  private best: { weights: Uint8Array; config: string } | null = null;
  private bestLoaded: RollModel | null = null;
  private done = false;

  constructor(config: RollTrainConfig, data: PianoRollSplits, options: RollTrainingSessionOptions = {}) {
    checkRollTrainConfig(config);
    if (data.train.length === 0) throw new ValueError('RollTrainingSession: the train split has no pieces');
    if (data.valid.length === 0) throw new ValueError('RollTrainingSession: the valid split has no pieces');
    this.config = config;
    this.data = data;
    this.options = options;
    const inner = createRollTask({
      saverFor: () => (model, info) => {
        this.best = encodeRollModel(model, { stepsPerQuarter: config.stepsPerQuarter, training: info.training });
        this.bestLoaded = null;
      },
    });
    // The same task, with every step's loss recorded as the runner computes it (before backward).
    this.task = {
      ...inner,
      build: (c, d, context) => {
        const run = inner.build(c, d, context);
        return {
          ...run,
          step: (batch, carried) => {
            const result = run.step(batch, carried);
            this.losses.push(result.loss.item());
            return result;
          },
        };
      },
    };
  }

  get finished(): boolean {
    return this.done;
  }

  /** Train up to `steps` more optimizer steps (fewer when the run ends first). */
  advance(steps: number): RollTrainingProgress {
    if (!Number.isInteger(steps) || steps < 1)
      throw new ValueError(`RollTrainingSession.advance: steps must be a positive integer, got ${steps}`);
    if (this.done) return this.progress();
    const start = this.store.exists() ? this.checkpoint().trainer.step : 0;
    try {
      trainingLoop(this.task, this.config, this.data, {
        store: this.store,
        resume: this.store.exists(),
        stopAfterStep: start + steps,
        progress: null,
        log: this.options.log ?? (() => {}),
        command: this.options.command,
      });
      this.done = true;
    } catch (e) {
      if (!(e instanceof TrainingInterrupted)) throw e;
    }
    return this.progress();
  }

  /** The best model so far as model files (config.json text, model.safetensors bytes), or null before a validation. */
  bestModelFiles(): { weights: Uint8Array; config: string } | null {
    return this.best;
  }

  /** The best model so far, rebuilt from its files (eval mode), or null before the first validation. */
  bestModel(): RollModel | null {
    if (!this.best) return null;
    this.bestLoaded ??= loadRollModelFromBytes(this.best.weights, this.best.config).model;
    return this.bestLoaded;
  }

  /** Where the run stands. */
  progress(): RollTrainingProgress {
    if (!this.store.exists())
      return {
        step: 0,
        totalSteps: 0,
        epoch: 0,
        stepLosses: [],
        history: [],
        best: null,
        seconds: 0,
        finished: false,
      };
    const { trainer } = this.checkpoint();
    return {
      step: trainer.step,
      totalSteps: trainer.totalSteps ?? 0,
      epoch: trainer.epoch,
      stepLosses: this.losses.slice(),
      history: trainer.history,
      best: trainer.best,
      seconds: trainer.seconds,
      finished: this.done || trainer.finished,
    };
  }

  private checkpoint() {
    return decodeTrainingCheckpoint<RollTrainConfig>(this.store.read(), this.store.name);
  }
}
