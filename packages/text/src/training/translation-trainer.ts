import { join } from 'node:path';
import {
  epochGenerator,
  makeLrScheduler,
  noGrad,
  ValueError,
  type ReportProgress,
  type TrainingTaskDefinition,
} from '@recurrent/core';
import { loadTokenizerFile, saveTokenizerFile } from '../tokenizers/file.js';
import { BpeTokenizer } from '../tokenizers/bpe.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { learnJointBpe } from '../translation/subwords.js';
import { Translator } from '../translation/translator.js';
import { translationBatches, translationLoss, type TranslationExample } from '../translation/loss.js';
import { scoreTranslations, type TranslationScores } from '../translation/metrics.js';
import type { TranslateOptions } from '../translation/translate.js';
import {
  pairLanguages,
  readMulti30k,
  type Multi30kOptions,
  type Multi30kSplit,
  type SentencePair,
} from '../translation/multi30k.js';
import type { DataDirOption } from '../datasets/data-dir.js';
import { saveTranslatorDir } from '../models/translator-dir.js';
import { TRANSLATOR_FILES } from '../models/translator-files.js';
import type { TranslateTrainConfig } from './translation-config.js';
import { requireOutDir } from './classifier-trainer.js';

export interface TranslationData {
  train: readonly SentencePair[];
  valid: readonly SentencePair[];
  description: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Multi30k pairs of a split for a config (its pair and line-count check). */
export function translationSplit(
  config: Pick<TranslateTrainConfig, 'pair' | 'checkLineCounts'>,
  split: Multi30kSplit,
  options: DataDirOption = {},
): SentencePair[] {
  const o: Multi30kOptions = { ...options, checkLineCount: config.checkLineCounts };
  return readMulti30k(split, config.pair, o);
}

/** The training pairs (the first limitTrain when set) and the validation pairs (the first validSubset when set). */
export function translationData(config: TranslateTrainConfig, options: DataDirOption = {}): TranslationData {
  const all = translationSplit(config, 'train', options);
  const val = translationSplit(config, 'val', options);
  const train = config.limitTrain > 0 ? all.slice(0, config.limitTrain) : all;
  const valid = config.validSubset > 0 ? val.slice(0, config.validSubset) : val;
  const { source, target } = pairLanguages(config.pair);
  return {
    train,
    valid,
    description:
      `Multi30k ${source}→${target}: train ${count(train.length)} of ${count(all.length)} pairs; ` +
      `val ${count(valid.length)} of ${count(val.length)} pairs`,
  };
}

export interface TranslationEvaluation extends TranslationScores {
  /** Detokenised translations, in order. */
  hypotheses: string[];
  sentences: number;
  seconds: number;
}

/**
 * Translate the sources of `pairs` (in batches) and score them against the targets with the three conventions of
 * scoreTranslations (anchor BLEU, cased 13a BLEU, chrF).
 */
export function evaluateTranslator(
  model: Translator,
  pairs: readonly SentencePair[],
  options: TranslateOptions & { batchSize?: number; progress?: ReportProgress } = {},
): TranslationEvaluation {
  const { batchSize = 100, progress, ...decode } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`evaluateTranslator: batchSize must be a positive integer, got ${batchSize}`);
  const t0 = performance.now();
  const hypotheses: string[] = [];
  for (let i = 0; i < pairs.length; i += batchSize) {
    const sources = pairs.slice(i, i + batchSize).map((p) => p.source);
    for (const r of model.translateBatch(sources, decode)) hypotheses.push(r.text);
    progress?.(hypotheses.length, pairs.length);
  }
  const scores = scoreTranslations(
    hypotheses,
    pairs.map((p) => p.target),
  );
  return { ...scores, hypotheses, sentences: pairs.length, seconds: (performance.now() - t0) / 1000 };
}

/** Mean cross-entropy (no label smoothing) per target token, eos included, over pairs. */
export function validationLoss(model: Translator, examples: readonly TranslationExample[], batchSize: number): number {
  let sum = 0;
  let tokens = 0;
  noGrad(() => {
    for (let i = 0; i < examples.length; i += batchSize) {
      const r = translationLoss(model, examples.slice(i, i + batchSize));
      sum += r.loss.item() * r.tokens;
      tokens += r.tokens;
    }
  });
  return tokens > 0 ? sum / tokens : Number.NaN;
}

/** Pairs as token ids; pairs whose source or target has no token are left out. */
export function encodePairs(
  tokenizer: Pick<Tokenizer, 'encode'>,
  pairs: readonly SentencePair[],
): TranslationExample[] {
  const out: TranslationExample[] = [];
  for (const p of pairs) {
    const src = tokenizer.encode(p.source);
    const tgt = tokenizer.encode(p.target);
    if (src.length > 0 && tgt.length > 0) out.push({ src, tgt });
  }
  return out;
}

/** A translation run's joint BPE from its tokenizer file; ValueError naming the file for any other tokenizer. */
export function loadJointBpe(path: string): BpeTokenizer {
  const t = loadTokenizerFile(path);
  if (!(t instanceof BpeTokenizer)) throw new ValueError(`${path}: expected the run's joint BPE, got a ${t.type}`);
  return t;
}

/**
 * The translation task for core's runner: a joint BPE learned on the training pairs (saved to tokenizer.json before
 * the first step, reloaded on resume), a Translator, length-bucketed batches from (seed, epoch), label-smoothed
 * cross-entropy, validation by greedy BLEU (anchor convention) on the val pairs selecting the best model, and the
 * config's lr schedule.
 */
export const translationTask: TrainingTaskDefinition<TranslateTrainConfig, TranslationData, TranslationExample[]> = {
  name: 'translate',
  selection: { metric: 'bleu', mode: 'max' },
  build(config, data, context) {
    const outDir = requireOutDir(context.outDir, 'translate');
    const tokenizerPath = join(outDir, TRANSLATOR_FILES.tokenizer);
    let tokenizer: BpeTokenizer;
    if (context.resuming) tokenizer = loadJointBpe(tokenizerPath);
    else {
      const t0 = performance.now();
      tokenizer = learnJointBpe(
        data.train.flatMap((p) => [p.source, p.target]),
        { vocabSize: config.vocabSize, lowercase: config.lowercase },
      );
      saveTokenizerFile(tokenizerPath, tokenizer);
      context.log(
        `joint BPE: ${count(tokenizer.vocabSize)} tokens learned on ${count(2 * data.train.length)} sentences ` +
          `in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${tokenizerPath}`,
      );
    }
    const model = new Translator(tokenizer, config.architecture, { seed: config.seed });
    const train = encodePairs(tokenizer, data.train);
    const valid = encodePairs(tokenizer, data.valid);
    if (train.length === 0) throw new ValueError('translate: no training pair has tokens on both sides');
    if (valid.length === 0) throw new ValueError('translate: no validation pair has tokens on both sides');
    const languages = pairLanguages(config.pair);
    const batchesOf = (epoch: number): TranslationExample[][] =>
      translationBatches(train, {
        batchSize: config.batchSize,
        generator: epochGenerator(config.seed, epoch),
        poolBatches: config.poolBatches,
      });
    return {
      model,
      generators: [model.generator],
      summary:
        `${count(train.length)} training pairs, ${count(data.valid.length)} validation, ` +
        `joint BPE ${count(tokenizer.vocabSize)}`,
      dataDescription: data.description,
      stepsPerEpoch: Math.ceil(train.length / config.batchSize),
      trainingExamples: train.length,
      validationExamples: valid.length,
      epochBatches: batchesOf,
      step: (batch) => translationLoss(model, batch, { labelSmoothing: config.labelSmoothing }),
      evaluate: (progress) => {
        const r = evaluateTranslator(model, data.valid, {
          method: 'greedy',
          batchSize: config.validBatchSize,
          progress,
        });
        return {
          bleu: r.bleu.score,
          bleuCased13a: r.bleuCased13a.score,
          chrf: r.chrf,
          loss: validationLoss(model, valid, config.validBatchSize),
        };
      },
      saveModel: (info) =>
        saveTranslatorDir(outDir, model, {
          storage: config.weightStorage,
          languages,
          training: info.training,
          metrics: info.metrics,
        }),
    };
  },
  lrScheduler: (optimizer, config, totalSteps) => makeLrScheduler(optimizer, config, totalSteps),
};
