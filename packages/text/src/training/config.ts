import {
  checkNonNegativeInt,
  checkPositiveInt,
  checkRunnerConfig,
  mergeTaskConfig,
  ValueError,
  type ConfigExamples,
  type OptimizerName,
  type RunnerConfig,
} from '@recurrent/core';
import type { LanguageModelArchitecture, SentimentArchitecture } from '../models/config.js';
import { DEFAULT_LANGUAGE_MODEL_ARCHITECTURE } from '../models/language-model.js';
import { DEFAULT_SENTIMENT_ARCHITECTURE } from '../models/sentiment-classifier.js';

export type ClassifierTask = 'sst2' | 'imdb';
export type LanguageModelTask = 'charlm' | 'wordlm';
export type Task = ClassifierTask | LanguageModelTask;
export const TASKS: readonly Task[] = ['sst2', 'imdb', 'charlm', 'wordlm'];

export type { OptimizerName };

/** Hyperparameters shared by every training run. */
export interface CommonTrainConfig extends RunnerConfig {
  seed: number;
  optimizer: OptimizerName;
  lr: number;
  weightDecay: number;
  /** Gradient norm clip (0 = off). */
  clip: number;
  batchSize: number;
  epochs: number;
  /** Stop after this many optimizer steps in total (0 = no limit). */
  maxSteps: number;
  /** Early stopping: validations without improvement before stopping (0 = never stop early). */
  patience: number;
  /** Write the resumable checkpoint every N steps (0 = only after each validation). */
  checkpointEvery: number;
  /** Multiply the learning rate by this after a validation without improvement (1 = never). */
  lrDecay: number;
  /** Vocabulary: words seen fewer times are <unk>; at most maxVocab ids (0 = no cap). */
  minFreq: number;
  maxVocab: number;
}

export interface ClassifierTrainConfig extends CommonTrainConfig {
  task: ClassifierTask;
  /** SST-2: 'glue' trains on the 67,349 GLUE phrases, 'sentences' on the 6,920 full training sentences. */
  trainData: 'glue' | 'sentences';
  /** IMDB: fraction of train held out for validation (seeded). */
  validFraction: number;
  /** Use only the first N training examples after shuffling (0 = all); for quick runs. */
  limitTrain: number;
  /**
   * Examples per length bucket (0 = 50 × batchSize). Batches are cut from length-sorted buckets; batchSize makes every
   * batch a uniformly random draw (more padding, no length correlation inside batches).
   */
  bucketSize: number;
  /**
   * A saved word-level model directory (e.g. models/imdb) whose embedding vectors initialise the words both
   * vocabularies share ('' = fresh N(0, 1) initialisation). Its embedding width must equal embeddingDim.
   */
  initEmbeddings: string;
  /**
   * Fine-tune from a saved model directory ('' = off): its embeddings as initEmbeddings, plus every parameter whose
   * name and shape match (recurrent layers, head). Use the source's architecture for a full transfer.
   */
  initFrom: string;
  architecture: Partial<SentimentArchitecture>;
}

export interface LanguageModelTrainConfig extends CommonTrainConfig {
  task: LanguageModelTask;
  /** wordlm corpus: tinyshakespeare lines or IMDB review text. */
  corpus: 'tinyshakespeare' | 'imdb';
  /** wordlm on IMDB: how many training reviews to read (0 = all 25,000). */
  corpusReviews: number;
  seqLen: number;
  /** Validate every N steps (0 = each epoch). */
  evalEvery: number;
  architecture: Partial<Omit<LanguageModelArchitecture, 'vocabSize' | 'startIds'>>;
}

export type TrainConfig = ClassifierTrainConfig | LanguageModelTrainConfig;

const COMMON: Omit<CommonTrainConfig, 'seed'> & { seed: number } = {
  seed: 1234,
  optimizer: 'adam',
  lr: 1e-3,
  weightDecay: 0,
  clip: 5,
  batchSize: 32,
  epochs: 10,
  maxSteps: 0,
  patience: 3,
  checkpointEvery: 200,
  lrDecay: 1,
  minFreq: 1,
  maxVocab: 0,
};

/** Each task's defaults (the shipped models' settings, unless their config.json says otherwise). */
export function defaultConfig(task: Task): TrainConfig {
  switch (task) {
    case 'sst2':
      return {
        ...COMMON,
        task,
        trainData: 'glue',
        validFraction: 0,
        limitTrain: 0,
        bucketSize: 0,
        initEmbeddings: '',
        initFrom: '',
        epochs: 8,
        patience: 3,
        checkpointEvery: 500,
        architecture: {
          embeddingDim: 128,
          hiddenSize: 128,
          cell: 'lstm',
          bidirectional: true,
          pooling: 'maxmean',
          dropout: 0.5,
          embeddingDropout: 0.25,
          maxTokens: 100,
          truncation: 'head',
        },
      };
    case 'imdb':
      return {
        ...COMMON,
        task,
        trainData: 'glue',
        validFraction: 0.1,
        limitTrain: 0,
        bucketSize: 0,
        initEmbeddings: '',
        initFrom: '',
        epochs: 4,
        minFreq: 3,
        maxVocab: 30000,
        patience: 2,
        checkpointEvery: 200,
        architecture: {
          embeddingDim: 128,
          hiddenSize: 128,
          cell: 'gru',
          bidirectional: true,
          pooling: 'maxmean',
          dropout: 0.5,
          embeddingDropout: 0.25,
          maxTokens: 400,
          truncation: 'head-tail',
        },
      };
    case 'charlm':
      return {
        ...COMMON,
        task,
        corpus: 'tinyshakespeare',
        corpusReviews: 0,
        lr: 2e-3,
        batchSize: 32,
        seqLen: 100,
        epochs: 20,
        evalEvery: 500,
        patience: 4,
        lrDecay: 0.5,
        checkpointEvery: 100,
        architecture: { embeddingDim: 64, hiddenSize: 384, numLayers: 2, cell: 'lstm', dropout: 0.2 },
      };
    case 'wordlm':
      return {
        ...COMMON,
        task,
        corpus: 'tinyshakespeare',
        corpusReviews: 0,
        lr: 2e-3,
        batchSize: 32,
        seqLen: 35,
        epochs: 10,
        minFreq: 3,
        evalEvery: 0,
        patience: 2,
        lrDecay: 0.5,
        checkpointEvery: 100,
        architecture: { embeddingDim: 128, hiddenSize: 256, numLayers: 1, cell: 'lstm', dropout: 0.3 },
      };
  }
}

/** Architecture keys a task accepts beyond its defaults (e.g. numLayers, attentionSize), with example values. */
export function configExamples(task: Task): ConfigExamples {
  const architecture =
    task === 'sst2' || task === 'imdb' ? DEFAULT_SENTIMENT_ARCHITECTURE : DEFAULT_LANGUAGE_MODEL_ARCHITECTURE;
  return { architecture: { ...architecture } };
}

/**
 * The task's defaults overridden by `overrides` (a --config file and/or flags); architecture fields merge. Unknown
 * keys and wrongly typed values are a ValueError naming the key.
 */
export function resolveConfig(task: Task, ...overrides: Record<string, unknown>[]): TrainConfig {
  if (!TASKS.includes(task)) throw new ValueError(`unknown task '${task}' (expected one of ${TASKS.join(', ')})`);
  const c = mergeTaskConfig(task, defaultConfig(task), configExamples(task), ...overrides);
  checkConfig(c);
  return c;
}

/** The runner's checks (core) and this package's: vocabulary, data and architecture-independent options. */
export function checkConfig(c: TrainConfig): void {
  checkRunnerConfig(c);
  checkPositiveInt('batchSize', c.batchSize);
  checkPositiveInt('minFreq', c.minFreq);
  checkNonNegativeInt('maxVocab', c.maxVocab);
  if (c.task === 'sst2' || c.task === 'imdb') {
    if (!['glue', 'sentences'].includes(c.trainData))
      throw new ValueError(`config: trainData must be glue or sentences, got '${c.trainData}'`);
    if (c.task === 'imdb' && !(c.validFraction > 0 && c.validFraction < 1))
      throw new ValueError(`config: validFraction must be in (0, 1), got ${c.validFraction}`);
    checkNonNegativeInt('limitTrain', c.limitTrain);
    checkNonNegativeInt('bucketSize', c.bucketSize);
    if (c.initFrom && c.initEmbeddings)
      throw new ValueError(
        'config: give initFrom or initEmbeddings, not both (initFrom already copies the embeddings)',
      );
  } else if (c.task === 'charlm' || c.task === 'wordlm') {
    checkPositiveInt('seqLen', c.seqLen);
    checkNonNegativeInt('evalEvery', c.evalEvery);
    checkNonNegativeInt('corpusReviews', c.corpusReviews);
    if (!['tinyshakespeare', 'imdb'].includes(c.corpus))
      throw new ValueError(`config: corpus must be tinyshakespeare or imdb, got '${c.corpus}'`);
  }
}
