// The piano-roll tasks (jsb, nottingham, musedata, piano-midi with PianoRollRNN; jsb-nade with RnnNade) for core's
// training runner: whole pieces (or chunks) in seeded batches, training loss = −log p per frame, validation NLL per
// frame in the anchor's convention selecting the best model.
import { join } from 'node:path';
import {
  checkLrScheduleConfig,
  checkNonNegativeInt,
  checkPositiveInt,
  epochGenerator,
  makeLrScheduler,
  ValueError,
  type Generator,
  type LrScheduleConfig,
  type RunnerConfig,
  type TrainingTaskDefinition,
} from '@recurrent/core';
import { writeFileAtomic } from '@recurrent/core/node';
import { PIANO_KEYS } from '../pitch.js';
import { sliceRoll, type PianoRoll } from '../roll/piano-roll.js';
import { rollKeyRange, transposeRoll } from '../roll/transpose.js';
import type { PianoRollSplits } from '../datasets/piano-roll-json.js';
import type { PianoRollDatasetName } from '../datasets/read.js';
import { rollBatch, type RollBatch } from '../models/batch.js';
import { encodeRollModel, type RollModel, type RollModelKind } from '../models/config.js';
import { checkRollArchitecture, PianoRollRNN, type PianoRollRNNArchitecture } from '../models/piano-roll-rnn.js';
import { RnnNade, type RnnNadeArchitecture } from '../models/rnn-nade.js';
import { nllPerFrame } from '../models/nll.js';
import { ROLL_MODEL_FILES } from '../models/kinds.js';

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

/** Write a piano-roll model directory: model.safetensors, config.json, metrics.json (each atomically). */
export function saveRollModelDir(
  dir: string,
  model: RollModel,
  options: { stepsPerQuarter: number; training?: Record<string, unknown>; metrics?: Record<string, unknown> },
): void {
  const { weights, config } = encodeRollModel(model, options);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.weights), weights);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.config), config);
  writeFileAtomic(join(dir, ROLL_MODEL_FILES.metrics), `${JSON.stringify(options.metrics ?? {}, null, 2)}\n`);
}

/** The piano-roll task definition (one for every roll task; the config says which data and model). */
export const rollTask: TrainingTaskDefinition<RollTrainConfig, PianoRollSplits, RollBatch> = {
  name: 'piano-roll',
  selection: { metric: 'nll', mode: 'min' },
  build(config, data, context) {
    const outDir = context.outDir;
    if (outDir === null) throw new ValueError(`${config.task}: training writes its model to an output directory`);
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
      saveModel: (info) =>
        saveRollModelDir(outDir, model, {
          stepsPerQuarter: config.stepsPerQuarter,
          training: info.training,
          metrics: info.metrics,
        }),
    };
  },
  lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
};
