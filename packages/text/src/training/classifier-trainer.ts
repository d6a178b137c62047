import { join } from 'node:path';
import { bceWithLogits, Generator, noGrad, Tensor } from '@recurrent/core';
import { bucketBatches, epochGenerator, type LabelledSequence } from '../batching.js';
import { padSequences } from '../padding.js';
import type { LabelledText } from '../datasets/types.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { loadTokenizerFile, saveTokenizerFile } from '../tokenizers/file.js';
import { SentimentClassifier } from '../models/sentiment-classifier.js';
import { saveModelDir } from '../models/model-files.js';
import { truncateTokens } from '../models/truncation.js';
import { initEmbeddingsFrom, initFromModel } from './init-embeddings.js';
import { CHECKPOINT_FILE, saveCheckpoint, type TrainerState } from './checkpoint.js';
import type { ClassifierTrainConfig } from './config.js';
import {
  assertFiniteWeights,
  checkResumeTask,
  defaultLog,
  formatMetrics,
  freshTrainerState,
  makeOptimizer,
  openRun,
  optimizerStep,
  progressBar,
  recordValidation,
  TrainingInterrupted,
  type RunOptions,
  type TrainResult,
} from './loop.js';

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

/** Accuracy and mean BCE of the model on labelled texts (eval mode, no gradients). Texts without tokens count as wrong. */
export function evaluateClassifier(model: SentimentClassifier, texts: readonly LabelledText[]): ClassifierEvaluation {
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
  const probs = model.probabilities(seqs);
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

/** Steps per epoch for this many examples. */
function batchesPerEpoch(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/**
 * Train a SentimentClassifier: seeded, length-bucketed batches (order from epochGenerator(seed, epoch)), BCE loss,
 * clipping, validation each epoch with early stopping, the best model saved to outDir, and a resumable checkpoint
 * (model + optimizer + generator + position) every `checkpointEvery` steps and after each validation.
 */
export function trainClassifier(configIn: ClassifierTrainConfig, data: ClassifierData, options: RunOptions): TrainResult {
  const log = options.log ?? defaultLog;
  const ckpt = openRun(options);
  if (ckpt) checkResumeTask(ckpt, configIn.task, options.outDir);
  const config = (ckpt ? ckpt.config : configIn) as ClassifierTrainConfig;
  const tokenizerPath = join(options.outDir, 'tokenizer.json');
  const tokenizer = ckpt
    ? loadTokenizerFile(tokenizerPath)
    : WordTokenizer.fromTexts(
        data.train.map((x) => x.text),
        { minFreq: config.minFreq, ...(config.maxVocab > 0 ? { maxSize: config.maxVocab } : {}) },
      );
  if (!ckpt) saveTokenizerFile(tokenizerPath, tokenizer);
  const model = new SentimentClassifier(tokenizer, config.architecture, { seed: config.seed });
  const optimizer = makeOptimizer(config, model.parameters());
  let trainer: TrainerState;
  if (ckpt) {
    model.loadStateDict(ckpt.model);
    optimizer.loadStateDict(ckpt.optimizer);
    model.generator.setState(ckpt.trainer.rng);
    trainer = ckpt.trainer;
    log(`resuming ${options.outDir} at epoch ${trainer.epoch + 1}, batch ${trainer.batch}, step ${trainer.step}`);
  } else {
    if (config.initEmbeddings) {
      const { copied, words } = initEmbeddingsFrom(model, config.initEmbeddings);
      log(`embeddings: ${copied.toLocaleString('en-US')} of ${words.toLocaleString('en-US')} words initialised from ${config.initEmbeddings}`);
    }
    if (config.initFrom) {
      const { copied, words, parameters } = initFromModel(model, config.initFrom);
      log(`fine-tuning from ${config.initFrom}: embeddings of ${copied.toLocaleString('en-US')} of ${words.toLocaleString('en-US')} words, parameters ${parameters.join(', ') || '(none with matching shapes)'}`);
    }
    trainer = freshTrainerState(model.generator.getState());
  }
  let train = encodeExamples(model, data.train);
  if (config.limitTrain > 0 && config.limitTrain < train.length) {
    const perm = new Generator(config.seed).permutation(train.length).slice(0, config.limitTrain).sort((a, b) => a - b);
    train = perm.map((i) => train[i]!);
  }
  const perEpoch = batchesPerEpoch(train.length, config.batchSize);
  const totalSteps = config.maxSteps > 0 ? Math.min(config.maxSteps, perEpoch * config.epochs) : perEpoch * config.epochs;
  log(`${config.task}: ${train.length} training examples, ${data.valid.length} validation, vocabulary ${tokenizer.vocabSize}, ${model.numParameters().toLocaleString('en-US')} parameters, ${perEpoch} steps/epoch`);
  const bar = progressBar(options, totalSteps, config.task);
  const started = Date.now();
  const seconds = (): number => trainer.seconds + (Date.now() - started) / 1000;
  const training = {
    task: config.task,
    command: options.command ?? null,
    data: data.description ?? null,
    config,
  };

  const checkpoint = (): void => {
    assertFiniteWeights(model, `step ${trainer.step}`);
    trainer.rng = model.generator.getState();
    const s = { ...trainer, seconds: seconds() };
    saveCheckpoint(join(options.outDir, CHECKPOINT_FILE), { config, trainer: s, model, optimizer, carried: null });
  };

  let stop = trainer.finished;
  let windowTokens = 0;
  let windowStart = Date.now();
  while (!stop && trainer.epoch < config.epochs) {
    const batches = bucketBatches(train, {
      batchSize: config.batchSize,
      generator: epochGenerator(config.seed, trainer.epoch),
      padId: tokenizer.padId!,
      ...(config.bucketSize > 0 ? { bucketSize: config.bucketSize } : {}),
    });
    model.train();
    while (trainer.batch < batches.length) {
      if (config.maxSteps > 0 && trainer.step >= config.maxSteps) break;
      const b = batches[trainer.batch]!;
      const logits = model.forward(b);
      const loss = bceWithLogits(logits, new Tensor(Float32Array.from(b.labels), [b.batchSize]));
      const value = optimizerStep(loss, model, optimizer, config, `epoch ${trainer.epoch + 1}, step ${trainer.step + 1}`);
      trainer.step++;
      trainer.batch++;
      trainer.lossSum += value;
      trainer.lossCount++;
      const tokens = b.lengths.reduce((a, x) => a + x, 0);
      trainer.tokens += tokens;
      windowTokens += tokens;
      const dt = (Date.now() - windowStart) / 1000;
      bar?.update(trainer.step, { epoch: trainer.epoch + 1, loss: trainer.lossSum / trainer.lossCount, 'tok/s': dt > 0 ? Math.round(windowTokens / dt) : 0 });
      if (dt > 30) {
        windowTokens = 0;
        windowStart = Date.now();
      }
      if (config.checkpointEvery > 0 && trainer.step % config.checkpointEvery === 0) checkpoint();
      if (options.stopAfterStep === trainer.step) {
        if (!(config.checkpointEvery > 0 && trainer.step % config.checkpointEvery === 0)) checkpoint();
        throw new TrainingInterrupted(trainer.step);
      }
    }
    const epochDone = trainer.batch >= batches.length;
    const outOfSteps = config.maxSteps > 0 && trainer.step >= config.maxSteps;
    if (!epochDone && !outOfSteps) break;
    // Validate at the end of each epoch (and when the step budget ends mid-epoch).
    assertFiniteWeights(model, `step ${trainer.step}`);
    const v = noGrad(() => evaluateClassifier(model, data.valid));
    const record = { epoch: trainer.epoch + 1, step: trainer.step, metrics: { accuracy: v.accuracy, loss: v.loss }, trainLoss: trainer.lossSum / Math.max(1, trainer.lossCount), lr: optimizer.lr, seconds: seconds() };
    const decision = recordValidation(trainer, record, 1 - v.accuracy, config, optimizer);
    log(`epoch ${record.epoch} step ${record.step}: train loss ${record.trainLoss.toFixed(4)}, valid ${formatMetrics(record.metrics)}${decision.improved ? ' (best, saved)' : ''}`);
    if (decision.improved) {
      saveModelDir(options.outDir, model, { training: { ...training, bestEpoch: record.epoch, bestStep: record.step }, metrics: { valid: record.metrics, history: trainer.history } });
    }
    if (epochDone) {
      trainer.epoch++;
      trainer.batch = 0;
    }
    stop = decision.stop || outOfSteps;
    if (decision.stop) log(`early stopping: no improvement in ${config.patience} validations`);
    trainer.finished = stop || trainer.epoch >= config.epochs;
    checkpoint();
  }
  bar?.done();
  return { outDir: options.outDir, trainer, savedModel: trainer.best !== null };
}

/** Padding helper for callers that evaluate raw id lists. */
export { padSequences };
