// Registers this package's training tasks with core's task registry (imported by the Node entry and the CLI).
import {
  LR_SCHEDULE_DEFAULTS,
  registerTrainingTask,
  RUNNER_CONFIG_DEFAULTS,
  type EvalContext,
  type ReportProgress,
  type TaskCommandContext,
  type TrainingTaskRegistration,
} from '@recurrent/core';
import { UsageError } from '@recurrent/core/node';
import { readPianoRollDataset, type PianoRollDatasetName } from '../datasets/read.js';
import { SPLITS, type PianoRollSplits, type Split } from '../datasets/piano-roll-json.js';
import { MUSIC_PACKAGE } from '../models/config.js';
import { loadMusicModelDir, type MusicModel } from '../models/model-dir.js';
import { nllPerFrame } from '../models/nll.js';
import { generateRoll } from '../models/generate.js';
import { rollStatistics, type RollStatistics } from '../stats/roll-stats.js';
import { folkPlayability } from '../folk/folk.js';
import { checkRollTrainConfig, rollDefaults, type RollTaskName, type RollTrainConfig } from './roll-task-definition.js';
import { rollTask } from './roll-task.js';
import { abcNll, abcTask, checkAbcTrainConfig, readAbcData, type AbcData, type AbcTrainConfig } from './abc-task.js';
import { updateMetricsFile } from './metrics-file.js';

/** Pick the split of an eval option (UsageError otherwise). */
function evalSplit(raw: unknown, allowed: readonly string[]): string {
  if (typeof raw !== 'string' || !allowed.includes(raw))
    throw new UsageError(`--split must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

function rollModel(dir: string, what: string): Extract<MusicModel, { family: 'roll' }> {
  const loaded = loadMusicModelDir(dir);
  if (loaded.family !== 'roll')
    throw new UsageError(`${dir} holds the folk (ABC) model; ${what} needs a piano-roll model`);
  return loaded;
}

/** The dataset a saved roll model was trained on (config.json training.config.dataset, else the task's). */
function modelDataset(loaded: Extract<MusicModel, { family: 'roll' }>, task: RollTaskName): PianoRollDatasetName {
  const training = loaded.config.training as { config?: { dataset?: unknown } } | undefined;
  const recorded = training?.config?.dataset;
  return typeof recorded === 'string' ? (recorded as PianoRollDatasetName) : rollDefaults(task).dataset;
}

export { rollDefaults };

/** Statistics of `count` seeded samples of `steps` frames from silence at temperature 1. */
export function sampleStatistics(model: MusicModel['model'], count: number, steps: number): RollStatistics {
  const rolls = [];
  for (let seed = 0; seed < count; seed++)
    rolls.push(generateRoll(model as Parameters<typeof generateRoll>[0], { steps, seed }).roll);
  return rollStatistics(rolls);
}

/** NLL per frame of one split, as the eval JSON reports it. */
function rollSplitResult(
  loaded: Extract<MusicModel, { family: 'roll' }>,
  data: PianoRollSplits,
  split: Split,
  progress: ReportProgress,
) {
  const r = nllPerFrame(loaded.model, data[split], { progress });
  return { split, nll_per_frame: r.nllPerFrame, frames: r.frames, nats: r.nats };
}

function rollEval(task: RollTaskName) {
  return (context: EvalContext): void => {
    const dir = context.modelDir;
    const split = evalSplit(context.options.split, SPLITS) as Split;
    const loaded = rollModel(dir, `eval ${task}`);
    const dataset = modelDataset(loaded, task);
    const data = readPianoRollDataset(dataset, context.dataDir ? { dataDir: context.dataDir } : {});
    const count = context.options.samples;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
      throw new UsageError(`--samples must be a non-negative integer, got ${String(count)}`);
    const samples =
      count > 0 ? { count, steps: 128, temperature: 1, statistics: sampleStatistics(loaded.model, count, 128) } : null;
    const result = {
      ...rollSplitResult(loaded, data, split, context.progress(`eval ${task} ${split}`, 'pieces')),
      dataset,
      kind: loaded.config.kind,
      ...(samples ? { samples } : {}),
    };
    if (context.options.json === true) context.io.out(`${JSON.stringify(result)}\n`);
    else
      context.io.out(
        `${dataset} ${split}: ${result.nll_per_frame.toFixed(4)} nats per frame over ${result.frames} frames ` +
          `(${loaded.config.kind}, ${dir})\n`,
      );
    if (context.write) {
      const { samples: _, ...measured } = result;
      // `valid` is the runner's record of the best validation; other splits than test go beside it.
      const key = split === 'test' ? 'test' : `${split}Split`;
      updateMetricsFile(dir, { [key]: measured, ...(samples ? { samples } : {}) });
    }
  };
}

/** After train: test NLL and the statistics of 16 samples of 128 frames, into metrics.json. */
function rollTest(task: RollTaskName) {
  return (context: TaskCommandContext): void => {
    const loaded = rollModel(context.modelDir, `the ${task} test`);
    const dataset = modelDataset(loaded, task);
    const data = readPianoRollDataset(dataset, context.dataDir ? { dataDir: context.dataDir } : {});
    const test = rollSplitResult(loaded, data, 'test', context.progress(`${task} test`, 'pieces'));
    const samples = sampleStatistics(loaded.model, 16, 128);
    const record = { count: 16, steps: 128, temperature: 1, statistics: samples };
    updateMetricsFile(context.modelDir, { test, samples: record });
    context.io.out(`${dataset} test: ${test.nll_per_frame.toFixed(4)} nats per frame over ${test.frames} frames\n`);
  };
}

function rollRegistration(
  task: RollTaskName,
  description: string,
): TrainingTaskRegistration<RollTrainConfig, PianoRollSplits> {
  return {
    name: task,
    package: MUSIC_PACKAGE,
    description,
    defaultConfig: () => rollDefaults(task),
    validateConfig: checkRollTrainConfig,
    definition: rollTask,
    loadData: (config, options) => readPianoRollDataset(config.dataset, options),
    test: rollTest(task),
    evaluate: rollEval(task),
    evalOptions: { split: 'test', json: false, samples: 0 },
  };
}

/** The folk-tune task's defaults. */
export function abcDefaults(): AbcTrainConfig {
  return {
    ...RUNNER_CONFIG_DEFAULTS,
    ...LR_SCHEDULE_DEFAULTS,
    task: 'abc',
    splitSeed: 0,
    batchSize: 32,
    seqLen: 100,
    lr: 2e-3,
    lrSchedule: 'cosine',
    clip: 5,
    epochs: 14,
    evalEvery: 0,
    patience: 0,
    lrDecay: 1,
    checkpointEvery: 50,
    architecture: { embeddingDim: 64, hiddenSize: 384, numLayers: 1, cell: 'lstm', dropout: 0.2 },
  };
}

function folkModel(dir: string, what: string): Extract<MusicModel, { family: 'folk' }> {
  const loaded = loadMusicModelDir(dir);
  if (loaded.family !== 'folk')
    throw new UsageError(`${dir} holds a piano-roll model; ${what} needs the folk (ABC) model`);
  return loaded;
}

/** The abc config a saved folk model was trained with (its split seed and window size). */
function folkConfig(loaded: Extract<MusicModel, { family: 'folk' }>): AbcTrainConfig {
  const training = loaded.config.training as { config?: Partial<AbcTrainConfig> } | undefined;
  return { ...abcDefaults(), ...(training?.config ?? {}), task: 'abc' };
}

/** nats/char of a split and of validation, and the share of `count` tunes sampled at `temperature` that play. */
function folkResult(
  loaded: Extract<MusicModel, { family: 'folk' }>,
  data: AbcData,
  split: 'valid' | 'test',
  sampling: { count: number; temperature: number },
  context: TaskCommandContext,
) {
  const config = folkConfig(loaded);
  const r = abcNll(loaded.model, data[split], config, context.progress(`abc ${split}`, 'windows'));
  const valid =
    split === 'valid' ? r : abcNll(loaded.model, data.valid, config, context.progress('abc valid', 'windows'));
  const play = folkPlayability(loaded.model, {
    count: sampling.count,
    temperature: sampling.temperature,
    progress: context.progress(`abc sampling at temperature ${sampling.temperature}`, 'tunes'),
  });
  return {
    split,
    nats_per_char: r.nll,
    chars: r.chars,
    valid_nats_per_char: valid.nll,
    playable_share: play.share,
    playable: play.playable,
    generated: play.total,
    temperature: sampling.temperature,
    failures: play.failures.slice(0, 5),
  };
}

function positive(name: string, raw: unknown, integer: boolean): number {
  if (typeof raw !== 'number' || !(raw > 0) || (integer && !Number.isInteger(raw)))
    throw new UsageError(`--${name} must be a ${integer ? 'positive integer' : 'number > 0'}, got ${String(raw)}`);
  return raw;
}

function abcEval(context: EvalContext): void {
  const dir = context.modelDir;
  const split = evalSplit(context.options.split, ['valid', 'test']) as 'valid' | 'test';
  const sampling = {
    count: positive('count', context.options.count, true),
    temperature: positive('temperature', context.options.temperature, false),
  };
  const loaded = folkModel(dir, 'eval abc');
  const data = readAbcData(folkConfig(loaded), context.dataDir ? { dataDir: context.dataDir } : {});
  const result = folkResult(loaded, data, split, sampling, context);
  if (context.options.json === true) context.io.out(`${JSON.stringify(result)}\n`);
  else
    context.io.out(
      `irish.abc ${split}: ${result.nats_per_char.toFixed(4)} nats/char over ${result.chars} characters ` +
        `(validation ${result.valid_nats_per_char.toFixed(4)}); ${result.playable} of ${result.generated} tunes ` +
        `sampled at temperature ${sampling.temperature} parse and play ` +
        `(${(100 * result.playable_share).toFixed(1)} %)\n`,
    );
  if (context.write) {
    // `valid` is the runner's record; a temperature other than 1 goes beside the figure (temperature 1).
    const base = split === 'test' ? 'test' : `${split}Split`;
    const key = sampling.temperature === 1 ? base : `${base}AtTemperature${sampling.temperature}`;
    updateMetricsFile(dir, { [key]: result });
  }
}

function abcTest(context: TaskCommandContext): void {
  const loaded = folkModel(context.modelDir, 'the abc test');
  const data = readAbcData(folkConfig(loaded), context.dataDir ? { dataDir: context.dataDir } : {});
  const result = folkResult(loaded, data, 'test', { count: 100, temperature: 1 }, context);
  updateMetricsFile(context.modelDir, { test: result });
  context.io.out(
    `irish.abc test: ${result.nats_per_char.toFixed(4)} nats/char; ${result.playable} of ${result.generated} ` +
      'sampled tunes parse and play\n',
  );
}

const abcRegistration: TrainingTaskRegistration<AbcTrainConfig, AbcData> = {
  name: 'abc',
  package: MUSIC_PACKAGE,
  description:
    'folk tunes as ABC text (irish.abc), character LSTM; eval: nats/char and the share of sampled tunes that play',
  defaultConfig: abcDefaults,
  validateConfig: checkAbcTrainConfig,
  definition: abcTask,
  loadData: (config, options) => readAbcData(config, options),
  test: abcTest,
  evaluate: abcEval,
  evalOptions: { split: 'test', json: false, count: 100, temperature: 1 },
};

/** Register abc, jsb, nottingham, musedata, piano-midi and jsb-nade with core (idempotent; done on import). */
export function registerMusicTasks(): void {
  registerTrainingTask(abcRegistration);
  const rolls: [RollTaskName, string][] = [
    ['jsb', 'JSB chorales piano rolls (quarter notes), LSTM + 88 sigmoids; eval: NLL per frame'],
    ['nottingham', 'Nottingham folk tunes piano rolls, LSTM + 88 sigmoids; eval: NLL per frame'],
    ['musedata', 'MuseData piano rolls, LSTM + 88 sigmoids; eval: NLL per frame'],
    ['piano-midi', 'Piano-midi.de piano rolls, LSTM + 88 sigmoids; eval: NLL per frame'],
    ['jsb-nade', 'JSB chorales, RNN-NADE (the notes of a frame depend on each other); eval: NLL per frame'],
  ];
  for (const [name, description] of rolls) registerTrainingTask(rollRegistration(name, description));
}

registerMusicTasks();
