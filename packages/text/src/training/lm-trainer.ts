import { join } from 'node:path';
import { crossEntropy, detachState, logSoftmax, noGrad, type RecurrentState } from '@recurrent/core';
import { epochGenerator } from '../batching.js';
import { streamBatches } from '../stream-batching.js';
import { CharTokenizer } from '../tokenizers/char.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { EOS_ID } from '../tokenizers/vocabulary.js';
import { loadTokenizerFile, saveTokenizerFile } from '../tokenizers/file.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { LanguageModel } from '../models/language-model.js';
import { saveModelDir } from '../models/model-files.js';
import { CHECKPOINT_FILE, saveCheckpoint, type TrainerState } from './checkpoint.js';
import type { LanguageModelTask, LanguageModelTrainConfig } from './config.js';
import type { LmCorpus } from './data.js';
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

/**
 * Token ids of a corpus text. Characters: the text as it is. Words: each non-empty line's words followed by `</s>`
 * (line structure is kept; `</s>` decodes as the end of a line).
 */
export function corpusIds(tokenizer: Tokenizer, text: string, task: LanguageModelTask): Int32Array {
  if (task === 'charlm') return Int32Array.from(tokenizer.encode(text));
  const word = tokenizer as WordTokenizer;
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const ids = word.encode(line);
    if (ids.length === 0) continue;
    for (const id of ids) out.push(id);
    out.push(EOS_ID);
  }
  return Int32Array.from(out);
}

/** Validation ids of `text` for a trained model. */
export function lmValidationIds(model: LanguageModel, text: string, task: LanguageModelTask): Int32Array {
  return corpusIds(model.tokenizer, text, task);
}

/** Build the vocabulary: every character of the corpus (char), or training words by frequency (word). */
export function lmTokenizer(config: LanguageModelTrainConfig, corpus: LmCorpus): Tokenizer {
  if (config.task === 'charlm') return CharTokenizer.fromText(corpus.all);
  return WordTokenizer.fromTexts(corpus.train.split('\n'), { minFreq: config.minFreq, ...(config.maxVocab > 0 ? { maxSize: config.maxVocab } : {}) });
}

/** The start context fed before prefixes: '\n' for characters, `</s>` for words. */
export function lmStartIds(tokenizer: Tokenizer, task: LanguageModelTask): number[] {
  if (task === 'wordlm') return [EOS_ID];
  const nl = tokenizer.tokenToId('\n');
  return [nl ?? 0];
}

export interface LanguageModelEvaluation {
  /** Mean cross-entropy per predicted token (nats). */
  nll: number;
  perplexity: number;
  /** nll / ln 2. */
  bitsPerToken: number;
  tokens: number;
}

/**
 * Validation loss as in the PyTorch anchors: the ids cut into non-overlapping windows of seqLen (+1 target) in
 * batchSize parallel streams, each window run from a zero state (`carryState: false`, default) or with the state
 * carried from the previous window of the same stream.
 */
export function evaluateLanguageModel(model: LanguageModel, ids: ArrayLike<number>, o: { batchSize: number; seqLen: number; carryState?: boolean }): LanguageModelEvaluation {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const B = Math.max(1, Math.min(o.batchSize, Math.floor((ids.length - 1) / o.seqLen)));
      const windows = streamBatches(ids, { batchSize: B, seqLen: o.seqLen });
      const V = model.architecture.vocabSize;
      let total = 0;
      let count = 0;
      let state: RecurrentState | undefined;
      for (const w of windows) {
        const out = model.forward(w.input, w.batchSize, w.seqLen, o.carryState ? state : undefined);
        state = out.state;
        const logp = logSoftmax(out.logits, -1).data;
        for (let i = 0; i < w.target.length; i++) total -= logp[i * V + w.target[i]!]!;
        count += w.target.length;
      }
      const nll = total / count;
      return { nll, perplexity: Math.exp(nll), bitsPerToken: nll / Math.LN2, tokens: count };
    });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Train a LanguageModel with truncated BPTT on contiguous streams (streamBatches with a random offset per epoch
 * from epochGenerator(seed, epoch)), the hidden state carried between windows, validation every `evalEvery` steps
 * (or per epoch), lr decay on plateau, early stopping, best model saved, and a resumable checkpoint that includes
 * the carried state.
 */
export function trainLanguageModel(configIn: LanguageModelTrainConfig, corpus: LmCorpus, options: RunOptions): TrainResult {
  const log = options.log ?? defaultLog;
  const ckpt = openRun(options);
  if (ckpt) checkResumeTask(ckpt, configIn.task, options.outDir);
  const config = (ckpt ? ckpt.config : configIn) as LanguageModelTrainConfig;
  const tokenizerPath = join(options.outDir, 'tokenizer.json');
  const tokenizer = ckpt ? loadTokenizerFile(tokenizerPath) : lmTokenizer(config, corpus);
  if (!ckpt) saveTokenizerFile(tokenizerPath, tokenizer);
  const model = new LanguageModel(tokenizer, { ...config.architecture, startIds: lmStartIds(tokenizer, config.task) }, { seed: config.seed });
  const optimizer = makeOptimizer(config, model.parameters());
  let trainer: TrainerState;
  let carried: RecurrentState | undefined;
  if (ckpt) {
    model.loadStateDict(ckpt.model);
    optimizer.loadStateDict(ckpt.optimizer);
    model.generator.setState(ckpt.trainer.rng);
    trainer = ckpt.trainer;
    carried = ckpt.carried ?? undefined;
    log(`resuming ${options.outDir} at epoch ${trainer.epoch + 1}, window ${trainer.batch}, step ${trainer.step}`);
  } else {
    trainer = freshTrainerState(model.generator.getState());
  }
  const trainIds = corpusIds(tokenizer, corpus.train, config.task);
  const validIds = corpusIds(tokenizer, corpus.valid, config.task);
  const { batchSize: B, seqLen: T } = config;
  const perEpoch = Math.floor((trainIds.length - 1 - (T - 1)) / (B * T));
  const totalSteps = config.maxSteps > 0 ? Math.min(config.maxSteps, perEpoch * config.epochs) : perEpoch * config.epochs;
  log(`${config.task}: ${trainIds.length.toLocaleString('en-US')} training tokens, ${validIds.length.toLocaleString('en-US')} validation, vocabulary ${tokenizer.vocabSize}, ${model.numParameters().toLocaleString('en-US')} parameters, ~${perEpoch} steps/epoch`);
  const bar = progressBar(options, totalSteps, config.task);
  const started = Date.now();
  const seconds = (): number => trainer.seconds + (Date.now() - started) / 1000;
  const training = { task: config.task, command: options.command ?? null, data: corpus.description, config };

  const checkpoint = (): void => {
    assertFiniteWeights(model, `step ${trainer.step}`);
    trainer.rng = model.generator.getState();
    saveCheckpoint(join(options.outDir, CHECKPOINT_FILE), { config, trainer: { ...trainer, seconds: seconds() }, model, optimizer, carried: carried ?? null });
  };
  const validate = (epochDone: boolean): boolean => {
    assertFiniteWeights(model, `step ${trainer.step}`);
    const v = evaluateLanguageModel(model, validIds, { batchSize: B, seqLen: T });
    const metrics = { nll: v.nll, perplexity: v.perplexity, bitsPerToken: v.bitsPerToken };
    const record = { epoch: trainer.epoch + (epochDone ? 1 : 0), step: trainer.step, metrics, trainLoss: trainer.lossSum / Math.max(1, trainer.lossCount), lr: optimizer.lr, seconds: seconds() };
    const decision = recordValidation(trainer, record, v.nll, config, optimizer);
    bar?.log(`step ${record.step} (epoch ${trainer.epoch + 1}): train loss ${record.trainLoss.toFixed(4)}, valid ${formatMetrics(metrics)}${decision.improved ? ' (best, saved)' : ` (lr ${optimizer.lr.toExponential(2)})`}`);
    if (!bar) log(`step ${record.step}: valid ${formatMetrics(metrics)}`);
    if (decision.improved) saveModelDir(options.outDir, model, { training: { ...training, bestStep: record.step }, metrics: { valid: metrics, history: trainer.history } });
    if (decision.stop) log(`early stopping: no improvement in ${config.patience} validations`);
    return decision.stop;
  };

  let stop = trainer.finished;
  let windowTokens = 0;
  let windowStart = Date.now();
  while (!stop && trainer.epoch < config.epochs) {
    const windows = streamBatches(trainIds, { batchSize: B, seqLen: T, randomOffset: true, generator: epochGenerator(config.seed, trainer.epoch) });
    model.train();
    let validatedHere = false;
    while (trainer.batch < windows.length) {
      if (config.maxSteps > 0 && trainer.step >= config.maxSteps) break;
      const w = windows[trainer.batch]!;
      const out = model.forward(w.input, B, T, carried);
      carried = detachState(out.state);
      const loss = crossEntropy(out.logits.reshape([B * T, model.architecture.vocabSize]), w.target);
      const value = optimizerStep(loss, model, optimizer, config, `epoch ${trainer.epoch + 1}, step ${trainer.step + 1}`);
      trainer.step++;
      trainer.batch++;
      trainer.lossSum += value;
      trainer.lossCount++;
      trainer.tokens += B * T;
      windowTokens += B * T;
      const dt = (Date.now() - windowStart) / 1000;
      bar?.update(trainer.step, { epoch: trainer.epoch + 1, loss: trainer.lossSum / trainer.lossCount, 'tok/s': dt > 0 ? Math.round(windowTokens / dt) : 0 });
      if (dt > 30) {
        windowTokens = 0;
        windowStart = Date.now();
      }
      validatedHere = false;
      if (config.evalEvery > 0 && trainer.step % config.evalEvery === 0) {
        validatedHere = true;
        if (validate(false)) {
          stop = true;
          trainer.finished = true;
          checkpoint();
          break;
        }
        model.train();
        windowStart = Date.now();
        windowTokens = 0;
      }
      const due = config.checkpointEvery > 0 && trainer.step % config.checkpointEvery === 0;
      if (due || validatedHere) checkpoint();
      if (options.stopAfterStep === trainer.step) {
        if (!due && !validatedHere) checkpoint();
        throw new TrainingInterrupted(trainer.step);
      }
    }
    if (stop) break;
    const epochDone = trainer.batch >= windows.length;
    const outOfSteps = config.maxSteps > 0 && trainer.step >= config.maxSteps;
    if (!epochDone && !outOfSteps) break;
    // Validate at the end of the epoch (unless that step was just validated) or when the step budget ends.
    if (!validatedHere && (config.evalEvery === 0 || outOfSteps || trainer.best === null)) stop = validate(epochDone);
    if (epochDone) {
      trainer.epoch++;
      trainer.batch = 0;
      carried = undefined;
    }
    stop = stop || outOfSteps;
    trainer.finished = stop || trainer.epoch >= config.epochs;
    checkpoint();
  }
  bar?.done();
  return { outDir: options.outDir, trainer, savedModel: trainer.best !== null };
}
