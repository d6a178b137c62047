// The piano-roll tasks (jsb, nottingham, musedata, piano-midi with PianoRollRNN; jsb-nade with RnnNade) for core's
// training runner, browser-safe: whole pieces (or chunks) in seeded batches, training loss = −log p per frame,
// validation NLL per frame in the anchor's convention selecting the best model. Where the best model goes is the
// caller's (`createRollTask({ saverFor })`): a model directory in Node (roll-task.ts), memory in a browser.
import {
  checkLrScheduleConfig,
  checkNonNegativeInt,
  checkPositiveInt,
  epochGenerator,
  LR_SCHEDULE_DEFAULTS,
  makeLrScheduler,
  RUNNER_CONFIG_DEFAULTS,
  ValueError,
  type BuildContext,
  type Generator,
  type LrScheduleConfig,
  type RunnerConfig,
  type SavedModelInfo,
  type TrainingTaskDefinition,
} from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';
import { sliceRoll, type PianoRoll } from '../roll/piano-roll.js';
import { rollKeyRange, transposeRoll } from '../roll/transpose.js';
import type { PianoRollSplits } from '../datasets/piano-roll-json.js';
import type { PianoRollDatasetName } from '../datasets/names.js';
import { rollBatch, type RollBatch } from '../models/batch.js';
import type { RollModel, RollModelKind } from '../models/config.js';
import {
  checkRollArchitecture,
  DEFAULT_PIANO_ROLL_RNN,
  PianoRollRNN,
  type PianoRollRNNArchitecture,
} from '../models/piano-roll-rnn.js';
import { DEFAULT_RNN_NADE, RnnNade, type RnnNadeArchitecture } from '../models/rnn-nade.js';
import { nllPerFrame } from '../models/nll.js';

export const ROLL_TASKS = ['jsb', 'nottingham', 'musedata', 'piano-midi', 'jsb-nade'] as const;
export type RollTaskName = (typeof ROLL_TASKS)[number];

export interface RollTrainConfig extends RunnerConfig, LrScheduleConfig {
  task: RollTaskName;
  /** The benchmark (train / valid / test splits of `readPianoRollDataset`). */
  dataset: PianoRollDatasetName;
  /** Frames per quarter note of the dataset (recorded in config.json for primers and MIDI output). */
  stepsPerQuarter: number;
  batchSize: number;
  /** Training pieces are cut into chunks of at most seqLen frames, each read from silence (0 = whole pieces). */
  seqLen: number;
  /**
   * Data augmentation: every epoch each training piece is moved by a random shift in [−transpose, transpose]
   * semitones (kept on the 88 keys; 0 = off). Validation and test are never transposed.
   */
  transpose: number;
  architecture: PianoRollRNNArchitecture | RnnNadeArchitecture;
}

/** The model kind a task trains. */
export function rollTaskModelKind(task: RollTaskName): RollModelKind {
  return task === 'jsb-nade' ? 'rnn-nade' : 'piano-roll-rnn';
}

/** A fresh model for a config (seeded). */
export function createTaskModel(config: RollTrainConfig): RollModel {
  return rollTaskModelKind(config.task) === 'rnn-nade'
    ? new RnnNade({ ...(config.architecture as RnnNadeArchitecture), seed: config.seed })
    : new PianoRollRNN({ ...(config.architecture as PianoRollRNNArchitecture), seed: config.seed });
}

/** The task's checks after merging (the runner checks its own keys). */
export function checkRollTrainConfig(c: RollTrainConfig): void {
  checkPositiveInt('batchSize', c.batchSize);
  checkPositiveInt('stepsPerQuarter', c.stepsPerQuarter);
  checkNonNegativeInt('seqLen', c.seqLen);
  checkNonNegativeInt('transpose', c.transpose);
  if (c.transpose > 24) throw new ValueError(`config: transpose must be at most 24 semitones, got ${c.transpose}`);
  if (c.seqLen === 1) throw new ValueError('config: seqLen must be 0 (whole pieces) or at least 2');
  checkLrScheduleConfig(c);
  checkRollArchitecture(c.architecture, 'config: architecture');
}

/** A shift for a piece with keys low..high: uniform over the shifts in [−max, max] that keep it on the keyboard. */
function drawShift(range: { low: number; high: number } | null, max: number, g: Generator): number {
  if (max === 0 || range === null) return 0;
  const down = Math.min(max, range.low);
  const up = Math.min(max, PIANO_KEYS - 1 - range.high);
  return -down + g.randint(down + up + 1);
}

/** An epoch's training batches: pieces shuffled, transposed and cut as the config says; a function of (seed, epoch). */
export function rollEpochBatches(
  rolls: readonly PianoRoll[],
  config: Pick<RollTrainConfig, 'seed' | 'batchSize' | 'seqLen' | 'transpose'>,
  epoch: number,
  ranges: readonly ({ low: number; high: number } | null)[] = rolls.map(rollKeyRange),
): RollBatch[] {
  const g = epochGenerator(config.seed, epoch);
  const pieces: PianoRoll[] = [];
  for (const i of g.permutation(rolls.length)) {
    const roll = rolls[i]!;
    if (roll.frames === 0) continue;
    const moved = transposeRoll(roll, drawShift(ranges[i] ?? null, config.transpose, g));
    const T = config.seqLen;
    if (T === 0 || moved.frames <= T) pieces.push(moved);
    else for (let f = 0; f < moved.frames; f += T) pieces.push(sliceRoll(moved, f, Math.min(moved.frames, f + T)));
  }
  const batches: RollBatch[] = [];
  for (let i = 0; i < pieces.length; i += config.batchSize)
    batches.push(rollBatch(pieces.slice(i, i + config.batchSize)));
  return batches;
}

/** Each piano-roll task's defaults (the shipped models' settings unless their config.json says otherwise). */
export function rollDefaults(task: RollTaskName): RollTrainConfig {
  const dataset: PianoRollDatasetName = task === 'jsb-nade' ? 'jsb' : task;
  // The anchor `jsb_lstm_200` (LSTM-200, batch 8, Adam 1e-3, clip 1.0, best validation epoch) plus the field's
  // levers: output dropout, a cosine learning-rate schedule, early stopping (transposition of the training pieces is
  // an option, off: the benchmark's pieces are nearly all in C major / C minor).
  const base: RollTrainConfig = {
    ...RUNNER_CONFIG_DEFAULTS,
    ...LR_SCHEDULE_DEFAULTS,
    task,
    dataset,
    stepsPerQuarter: dataset === 'jsb' ? 1 : 2,
    batchSize: 8,
    seqLen: dataset === 'jsb' ? 0 : 128,
    transpose: 0,
    lr: 2e-3,
    lrSchedule: 'cosine',
    clip: 1,
    // JSB is small (13,807 training frames, ~5 s an epoch) and overfits; the others are 5–18× larger and underfit
    // (Nottingham with dropout 0.3 for 18 epochs: test 4.12; without dropout for 40: 3.54).
    epochs: dataset === 'jsb' ? 200 : 40,
    patience: dataset === 'jsb' ? 10 : 5,
    lrDecay: 1,
    checkpointEvery: 0,
    evalEvery: 0,
    architecture: { ...DEFAULT_PIANO_ROLL_RNN, dropout: dataset === 'jsb' ? 0.3 : 0 },
  };
  if (task === 'jsb-nade') return { ...base, epochs: 90, architecture: { ...DEFAULT_RNN_NADE, dropout: 0.3 } };
  return base;
}

export interface RollTaskOptions {
  /**
   * Where the best model so far goes, decided once at build time, before any training: return the function that
   * keeps it (called after each validation that improves on the best), or throw when the run cannot save (e.g. Node
   * without an output directory).
   */
  saverFor: (config: RollTrainConfig, context: BuildContext) => (model: RollModel, info: SavedModelInfo) => void;
}

/** The piano-roll task definition for core's runner (one for every roll task; the config says which data and model). */
export function createRollTask(
  options: RollTaskOptions,
): TrainingTaskDefinition<RollTrainConfig, PianoRollSplits, RollBatch> {
  return {
    name: 'piano-roll',
    selection: { metric: 'nll', mode: 'min' },
    build(config, data, context) {
      const save = options.saverFor(config, context);
      const model = createTaskModel(config);
      const ranges = data.train.map(rollKeyRange);
      const frames = (rolls: readonly PianoRoll[]) => rolls.reduce((s, r) => s + r.frames, 0);
      return {
        model,
        generators: [model.generator],
        summary:
          `${config.dataset}: ${data.train.length} training pieces (${frames(data.train)} frames), ` +
          `${data.valid.length} validation (${frames(data.valid)} frames)`,
        dataDescription: `${config.dataset} piano rolls (train / valid splits)`,
        trainingExamples: data.train.length,
        validationExamples: data.valid.length,
        epochBatches: (epoch) => rollEpochBatches(data.train, config, epoch, ranges),
        step: (batch) => ({ loss: model.negLogLikelihood(batch).mul(1 / batch.frames), tokens: batch.frames }),
        evaluate: (progress) => ({ nll: nllPerFrame(model, data.valid, { progress }).nllPerFrame }),
        saveModel: (info) => save(model, info),
      };
    },
    lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
  };
}
