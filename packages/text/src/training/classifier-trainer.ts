import { join } from 'node:path';
import {
  bceWithLogits,
  epochGenerator,
  Generator,
  Tensor,
  ValueError,
  type TrainingTaskDefinition,
  type ReportProgress,
} from '@recurrent/core';
import { runTraining, type RunOptions } from '@recurrent/core/node';
import { bucketBatches, type ClassificationBatch, type LabelledSequence } from '../batching.js';
import { padSequences } from '../padding.js';
import type { LabelledText } from '../datasets/types.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { loadTokenizerFile, saveTokenizerFile } from '../tokenizers/file.js';
import { SentimentClassifier } from '../models/sentiment-classifier.js';
import { saveModelDir } from '../models/model-files.js';
import { truncateTokens } from '../models/truncation.js';
import { initEmbeddingsFrom, initFromModel } from './init-embeddings.js';
import type { ClassifierTrainConfig } from './config.js';
import type { TrainResult } from './loop.js';
import { LEGACY_CHECKPOINT_FORMAT } from './checkpoint.js';
export interface ClassifierData {
  train: readonly LabelledText[];
  valid: readonly LabelledText[];
  /** A description recorded in config.json (e.g. "SST-2 GLUE train 67,349 phrases; dev 872 sentences"). */
  description?: string;
}

export interface ClassifierEvaluation {
  accuracy: number;
  /** Mean binary cross-entropy. */
  loss: number;
  count: number;
}

/** Encode texts into the model's (truncated) id sequences; texts without tokens are dropped. */
export function encodeExamples(model: SentimentClassifier, texts: readonly LabelledText[]): LabelledSequence[] {
  const { maxTokens, truncation } = model.architecture;
  const out: LabelledSequence[] = [];
  for (const t of texts) {
    const ids = model.tokenizer.encode(t.text);
    if (ids.length > 0) out.push({ ids: truncateTokens(ids, maxTokens, truncation), label: t.label });
  }
  return out;
}

/**
 * Accuracy and mean BCE of the model on labelled texts (eval mode, no gradients). Texts without tokens count as wrong.
 */
export function evaluateClassifier(
  model: SentimentClassifier,
  texts: readonly LabelledText[],
  progress?: ReportProgress,
): ClassifierEvaluation {
  const { maxTokens, truncation } = model.architecture;
  const seqs: number[][] = [];
  const labels: number[] = [];
  let empty = 0;
  for (const t of texts) {
    const ids = model.tokenizer.encode(t.text);
    if (ids.length === 0) {
      empty++;
      continue;
    }
    seqs.push(truncateTokens(ids, maxTokens, truncation));
    labels.push(t.label);
  }
  const probs = model.probabilities(seqs, progress);
  let correct = 0;
  let loss = 0;
  probs.forEach((p, i) => {
    const y = labels[i]!;
    if ((p >= 0.5 ? 1 : 0) === y) correct++;
    loss -= Math.log(Math.max(1e-12, y === 1 ? p : 1 - p));
  });
  const count = seqs.length + empty;
  return { accuracy: correct / count, loss: loss / Math.max(1, seqs.length), count };
}

/** The output directory a text task writes its tokenizer and model to (the runner gives null only without one). */
export function requireOutDir(outDir: string | null, task: string): string {
  if (outDir === null) {
    throw new ValueError(`${task}: training a text model needs an output directory (its tokenizer is saved there)`);
  }
  return outDir;
}

/**
 * The sentiment-classifier task for core's training runner (sst2 and imdb): a word vocabulary from the training
 * texts (saved to tokenizer.json first, reloaded on resume), optional embedding transfer, seeded length-bucketed
 * batches (order from epochGenerator(seed, epoch)), BCE loss, validation accuracy selecting the best model.
 */
export const classifierTask: TrainingTaskDefinition<ClassifierTrainConfig, ClassifierData, ClassificationBatch> = {
  name: 'sentiment-classifier',
  legacyCheckpointFormats: [LEGACY_CHECKPOINT_FORMAT],
  selection: { metric: 'accuracy', mode: 'max' },
  build(config, data, context) {
    const outDir = requireOutDir(context.outDir, config.task);
    const tokenizerPath = join(outDir, 'tokenizer.json');
    const tokenizer = context.resuming
      ? loadTokenizerFile(tokenizerPath)
      : WordTokenizer.fromTexts(
          data.train.map((x) => x.text),
          { minFreq: config.minFreq, ...(config.maxVocab > 0 ? { maxSize: config.maxVocab } : {}) },
        );
    if (!context.resuming) saveTokenizerFile(tokenizerPath, tokenizer);
    const model = new SentimentClassifier(tokenizer, config.architecture, { seed: config.seed });
    if (!context.resuming && config.initEmbeddings) {
      const { copied, words } = initEmbeddingsFrom(model, config.initEmbeddings);
      const counts = `${copied.toLocaleString('en-US')} of ${words.toLocaleString('en-US')} words`;
      context.log(`embeddings: ${counts} initialised from ${config.initEmbeddings}`);
    }
    if (!context.resuming && config.initFrom) {
      const { copied, words, parameters } = initFromModel(model, config.initFrom);
      context.log(
        `fine-tuning from ${config.initFrom}: ` +
          `embeddings of ${copied.toLocaleString('en-US')} of ${words.toLocaleString('en-US')} words, ` +
          `parameters ${parameters.join(', ') || '(none with matching shapes)'}`,
      );
    }
    let train = encodeExamples(model, data.train);
    if (config.limitTrain > 0 && config.limitTrain < train.length) {
      const perm = new Generator(config.seed)
        .permutation(train.length)
        .slice(0, config.limitTrain)
        .sort((a, b) => a - b);
      train = perm.map((i) => train[i]!);
    }
    const padId = tokenizer.padId;
    if (padId === null) {
      throw new ValueError(`${tokenizerPath}: a ${tokenizer.type} tokenizer has no padding id to batch with`);
    }
    return {
      model,
      generators: [model.generator],
      summary: `${train.length} training examples, ${data.valid.length} validation, vocabulary ${tokenizer.vocabSize}`,
      dataDescription: data.description,
      stepsPerEpoch: Math.ceil(train.length / config.batchSize),
      trainingExamples: train.length,
      validationExamples: data.valid.length,
      epochBatches: (epoch) =>
        bucketBatches(train, {
          batchSize: config.batchSize,
          generator: epochGenerator(config.seed, epoch),
          padId,
          ...(config.bucketSize > 0 ? { bucketSize: config.bucketSize } : {}),
        }),
      step: (b) => ({
        loss: bceWithLogits(model.forward(b), new Tensor(Float32Array.from(b.labels), [b.batchSize])),
        tokens: b.lengths.reduce((a, x) => a + x, 0),
      }),
      evaluate: (progress) => {
        const v = evaluateClassifier(model, data.valid, progress);
        return { accuracy: v.accuracy, loss: v.loss };
      },
      saveModel: (info) => saveModelDir(outDir, model, { training: info.training, metrics: info.metrics }),
    };
  },
};

/**
 * Train a SentimentClassifier with core's runner: validation each epoch with early stopping, the best model saved to
 * outDir, and a resumable checkpoint (model + optimizer + generator + position) every `checkpointEvery` steps and
 * after each validation.
 */
export function trainClassifier(
  config: ClassifierTrainConfig,
  data: ClassifierData,
  options: RunOptions,
): TrainResult<ClassifierTrainConfig> {
  return runTraining(classifierTask, config, data, options);
}

/** Padding helper for callers that evaluate raw id lists. */
export { padSequences };
