// The folk-tune task `abc` for core's training runner: @recurrent/text's character LanguageModel on irish.abc
// (tunes split by tune, seeded), truncated BPTT on the training text with the state carried between windows,
// validation nats per character selecting the best model. Saved as a text language-model bundle.
import { join } from 'node:path';
import {
  checkLrScheduleConfig,
  checkPositiveInt,
  crossEntropy,
  detachState,
  epochGenerator,
  makeLrScheduler,
  FormatError,
  ValueError,
  type CarriedState,
  type LrScheduleConfig,
  type ReportProgress,
  type RunnerConfig,
  type TrainingTaskDefinition,
} from '@recurrent/core';
import {
  CharTokenizer,
  streamBatches,
  type LanguageModel,
  type LanguageModelArchitecture,
  type StreamBatch,
} from '@recurrent/text';
import { evaluateLanguageModel, loadTokenizerFile, saveModelDir, saveTokenizerFile } from '@recurrent/text/node';
import { splitAbcTunes } from '../abc/split.js';
import { readIrishAbc, splitByTune } from '../datasets/read.js';
import { abcCorpus, createFolkModel, folkTokenizer } from '../folk/folk.js';

export interface AbcTrainConfig extends RunnerConfig, LrScheduleConfig {
  task: 'abc';
  /** Seed of the split of irish.abc by tune (10 % validation, 10 % test). */
  splitSeed: number;
  batchSize: number;
  seqLen: number;
  architecture: Partial<Omit<LanguageModelArchitecture, 'vocabSize' | 'startIds'>>;
}

/** irish.abc split by tune. */
export interface AbcData {
  train: string[];
  valid: string[];
  test: string[];
  /** Every tune (the vocabulary is built from all of them, so validation has no unknown characters). */
  all: string[];
}

/** Read irish.abc and split it by tune with the config's seed. */
export function readAbcData(config: Pick<AbcTrainConfig, 'splitSeed'>, options: { dataDir?: string } = {}): AbcData {
  const all = splitAbcTunes(readIrishAbc(options));
  return { ...splitByTune(all, { seed: config.splitSeed, valid: 0.1, test: 0.1 }), all };
}

export function checkAbcTrainConfig(c: AbcTrainConfig): void {
  checkPositiveInt('batchSize', c.batchSize);
  checkPositiveInt('seqLen', c.seqLen);
  checkLrScheduleConfig(c);
}

/** A split's text as token ids of the model's vocabulary. */
export function abcIds(model: LanguageModel, tunes: readonly string[]): Int32Array {
  return Int32Array.from(model.tokenizer.encode(abcCorpus(tunes)));
}

/** Nats per character of a split (non-overlapping windows from a zero state, as text's charlm validation). */
export function abcNll(
  model: LanguageModel,
  tunes: readonly string[],
  config: Pick<AbcTrainConfig, 'batchSize' | 'seqLen'>,
  progress?: ReportProgress,
): { nll: number; chars: number } {
  const { batchSize, seqLen } = config;
  const r = evaluateLanguageModel(model, abcIds(model, tunes), {
    batchSize,
    seqLen,
    ...(progress ? { progress } : {}),
  });
  return { nll: r.nll, chars: r.tokens };
}

export const abcTask: TrainingTaskDefinition<AbcTrainConfig, AbcData, StreamBatch> = {
  name: 'abc',
  selection: { metric: 'nll', mode: 'min' },
  build(config, data, context) {
    const outDir = context.outDir;
    if (outDir === null) throw new ValueError('abc: training writes its model to an output directory');
    const tokenizerPath = join(outDir, 'tokenizer.json');
    const tokenizer = context.resuming ? loadTokenizerFile(tokenizerPath) : folkTokenizer(data.all);
    if (!(tokenizer instanceof CharTokenizer))
      throw new FormatError(`${tokenizerPath}: the folk model needs a character tokenizer, got ${tokenizer.type}`);
    if (!context.resuming) saveTokenizerFile(tokenizerPath, tokenizer);
    const model = createFolkModel(tokenizer, config.architecture, { seed: config.seed });
    const trainIds = abcIds(model, data.train);
    const { batchSize: B, seqLen: T } = config;
    const V = model.architecture.vocabSize;
    return {
      model,
      generators: [model.generator],
      summary: `${data.train.length} training tunes (${trainIds.length} characters), ${data.valid.length} validation`,
      dataDescription: 'irish.abc (MIT 6.S191 lab 1), split by tune',
      stepsPerEpoch: Math.floor((trainIds.length - 1 - (T - 1)) / (B * T)),
      trainingExamples: data.train.length,
      validationExamples: data.valid.length,
      epochBatches: (epoch) => {
        const generator = epochGenerator(config.seed, epoch);
        return streamBatches(trainIds, { batchSize: B, seqLen: T, randomOffset: true, generator });
      },
      step: (w, carried: CarriedState | null) => {
        const state = carried?.h ? (carried.c ? { h: carried.h, c: carried.c } : { h: carried.h }) : undefined;
        const out = model.forward(w.input, B, T, state);
        const loss = crossEntropy(out.logits.reshape([B * T, V]), w.target);
        const next = detachState(out.state);
        const carriedNext: CarriedState = next.c ? { h: next.h, c: next.c } : { h: next.h };
        return { loss, tokens: B * T, carried: carriedNext };
      },
      evaluate: (progress) => ({ nll: abcNll(model, data.valid, config, progress).nll }),
      saveModel: (info) => saveModelDir(outDir, model, { training: info.training, metrics: info.metrics }),
    };
  },
  lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
};
