import {
  checkLrScheduleConfig,
  checkNonNegativeInt,
  checkPositiveInt,
  LR_SCHEDULE_DEFAULTS,
  RUNNER_CONFIG_DEFAULTS,
  ValueError,
  type LrScheduleConfig,
  type RunnerConfig,
} from '@recurrent/core';
import { checkTranslatorArchitecture, DEFAULT_TRANSLATOR_ARCHITECTURE } from '../translation/architecture.js';
import type { TranslatorArchitecture } from '../translation/architecture.js';
import { MULTI30K_PAIRS, type Multi30kPair } from '../translation/multi30k.js';
import { WEIGHT_STORAGES, type WeightStorage } from '../models/translator-files.js';

/** `train translate`: an attentional Translator on Multi30k with a joint BPE learned on the training split. */
export interface TranslateTrainConfig extends Required<RunnerConfig>, LrScheduleConfig {
  task: 'translate';
  /** de-en (German → English) or en-fr (English → French). */
  pair: Multi30kPair;
  /** Size of the joint source–target BPE vocabulary. */
  vocabSize: number;
  /** Lowercase before the BPE (false: cased output, as the demo shows it). */
  lowercase: boolean;
  batchSize: number;
  /** Batches of similar target length are cut from pools of this many batches (1 = no length bucketing). */
  poolBatches: number;
  /** Label smoothing ε of the training cross-entropy (validation loss is plain cross-entropy). */
  labelSmoothing: number;
  /** Train on the first N pairs of the training split only (0 = all 29,000); the BPE is learned on them too. */
  limitTrain: number;
  /** Validate on the first N pairs of the val split (0 = all 1,014). */
  validSubset: number;
  /** Sentences decoded together during validation. */
  validBatchSize: number;
  /** How the saved model.safetensors stores the weights. */
  weightStorage: WeightStorage;
  /** Check the Multi30k files have their documented line counts (switch off for a modified copy of the data). */
  checkLineCounts: boolean;
  architecture: Partial<Omit<TranslatorArchitecture, 'vocabSize'>>;
}

/**
 * The defaults: the PyTorch anchor `mt_S` (pytorch-training-anchors.json; BiGRU-128 encoder, GRU-256 Bahdanau decoder
 * with additive attention, embeddings 128, dropout 0.3, batch 64, Adam lr 1e-3, clip 1.0, 4 epochs), with a 7,000-token
 * joint BPE instead of word vocabularies (7.2 M parameters: 14.3 MB in float16), label smoothing 0.1, cased text and
 * float16 storage.
 */
export function defaultTranslateConfig(): TranslateTrainConfig {
  return {
    ...RUNNER_CONFIG_DEFAULTS,
    ...LR_SCHEDULE_DEFAULTS,
    task: 'translate',
    pair: 'de-en',
    vocabSize: 7000,
    lowercase: false,
    seed: 1234,
    optimizer: 'adam',
    lr: 1e-3,
    clip: 1,
    batchSize: 64,
    poolBatches: 50,
    labelSmoothing: 0.1,
    epochs: 4,
    patience: 0,
    checkpointEvery: 50,
    lrDecay: 1,
    evalEvery: 0,
    limitTrain: 0,
    validSubset: 0,
    validBatchSize: 100,
    weightStorage: 'float16',
    checkLineCounts: true,
    architecture: { ...DEFAULT_TRANSLATOR_ARCHITECTURE },
  };
}

/** The task's own checks (ValueError naming the key); the runner's keys are checked by core. */
export function checkTranslateConfig(c: TranslateTrainConfig): void {
  checkLrScheduleConfig(c);
  if (!(MULTI30K_PAIRS as readonly string[]).includes(c.pair))
    throw new ValueError(`config: pair must be one of ${MULTI30K_PAIRS.join(', ')}, got '${c.pair}'`);
  if (!Number.isInteger(c.vocabSize) || c.vocabSize < 16)
    throw new ValueError(`config: vocabSize must be an integer ≥ 16, got ${c.vocabSize}`);
  checkPositiveInt('batchSize', c.batchSize);
  checkPositiveInt('poolBatches', c.poolBatches);
  checkPositiveInt('validBatchSize', c.validBatchSize);
  checkNonNegativeInt('limitTrain', c.limitTrain);
  checkNonNegativeInt('validSubset', c.validSubset);
  if (!(c.labelSmoothing >= 0 && c.labelSmoothing < 1))
    throw new ValueError(`config: labelSmoothing must be in [0, 1), got ${c.labelSmoothing}`);
  if (!WEIGHT_STORAGES.includes(c.weightStorage))
    throw new ValueError(
      `config: weightStorage must be one of ${WEIGHT_STORAGES.join(', ')}, got '${c.weightStorage}'`,
    );
  // The vocabulary size comes from the BPE; check the rest of the architecture with a placeholder for it.
  checkTranslatorArchitecture(
    { ...DEFAULT_TRANSLATOR_ARCHITECTURE, ...c.architecture, vocabSize: c.vocabSize },
    'config: architecture',
  );
}
