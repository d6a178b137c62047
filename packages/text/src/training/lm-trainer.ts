import { join } from 'node:path';
import {
  crossEntropy,
  detachState,
  epochGenerator,
  logSoftmax,
  noGrad,
  type CarriedState,
  type RecurrentState,
  type TrainingTaskDefinition,
  type ReportProgress,
} from '@recurrent/core';
import { runTraining, type RunOptions } from '@recurrent/core/node';
import { streamBatches, type StreamBatch } from '../stream-batching.js';
import { CharTokenizer } from '../tokenizers/char.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { EOS_ID } from '../tokenizers/vocabulary.js';
import { loadTokenizerFile, saveTokenizerFile } from '../tokenizers/file.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { LanguageModel } from '../models/language-model.js';
import { saveModelDir } from '../models/model-files.js';
import type { LanguageModelTask, LanguageModelTrainConfig } from './config.js';
import type { LmCorpus } from './data.js';
import type { TrainResult } from './loop.js';
import { LEGACY_CHECKPOINT_FORMAT } from './checkpoint.js';
import { requireOutDir } from './classifier-trainer.js';
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
  return WordTokenizer.fromTexts(corpus.train.split('\n'), {
    minFreq: config.minFreq,
    ...(config.maxVocab > 0 ? { maxSize: config.maxVocab } : {}),
  });
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
export function evaluateLanguageModel(
  model: LanguageModel,
  ids: ArrayLike<number>,
  o: { batchSize: number; seqLen: number; carryState?: boolean; progress?: ReportProgress },
): LanguageModelEvaluation {
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
      let done = 0;
      for (const w of windows) {
        const out = model.forward(w.input, w.batchSize, w.seqLen, o.carryState ? state : undefined);
        state = out.state;
        const logp = logSoftmax(out.logits, -1).data;
        for (let i = 0; i < w.target.length; i++) total -= logp[i * V + w.target[i]!]!;
        count += w.target.length;
        o.progress?.(++done, windows.length);
      }
      const nll = total / count;
      return { nll, perplexity: Math.exp(nll), bitsPerToken: nll / Math.LN2, tokens: count };
    });
  } finally {
    model.train(wasTraining);
  }
}

function toRecurrentState(carried: CarriedState | null): RecurrentState | undefined {
  if (!carried?.h) return undefined;
  return carried.c ? { h: carried.h, c: carried.c } : { h: carried.h };
}

function toCarried(state: RecurrentState): CarriedState {
  return state.c ? { h: state.h, c: state.c } : { h: state.h };
}

/**
 * The language-model task for core's training runner (charlm and wordlm): truncated BPTT on contiguous streams
 * (streamBatches with a random offset per epoch from epochGenerator(seed, epoch)), the hidden state carried between
 * windows (and checkpointed), validation nll selecting the best model.
 */
export const languageModelTask: TrainingTaskDefinition<LanguageModelTrainConfig, LmCorpus, StreamBatch> = {
  name: 'language-model',
  legacyCheckpointFormats: [LEGACY_CHECKPOINT_FORMAT],
  selection: { metric: 'nll', mode: 'min' },
  build(config, corpus, context) {
    const outDir = requireOutDir(context.outDir, config.task);
    const tokenizerPath = join(outDir, 'tokenizer.json');
    const tokenizer = context.resuming ? loadTokenizerFile(tokenizerPath) : lmTokenizer(config, corpus);
    if (!context.resuming) saveTokenizerFile(tokenizerPath, tokenizer);
    const architecture = { ...config.architecture, startIds: lmStartIds(tokenizer, config.task) };
    const model = new LanguageModel(tokenizer, architecture, { seed: config.seed });
    const trainIds = corpusIds(tokenizer, corpus.train, config.task);
    const validIds = corpusIds(tokenizer, corpus.valid, config.task);
    const { batchSize: B, seqLen: T } = config;
    const V = model.architecture.vocabSize;
    return {
      model,
      generators: [model.generator],
      summary:
        `${trainIds.length.toLocaleString('en-US')} training tokens, ` +
        `${validIds.length.toLocaleString('en-US')} validation, ` +
        `vocabulary ${tokenizer.vocabSize}`,
      dataDescription: corpus.description,
      stepsPerEpoch: Math.floor((trainIds.length - 1 - (T - 1)) / (B * T)),
      trainingExamples: Math.max(0, trainIds.length - 1),
      // Validation windows of seqLen tokens (0 when the validation text is shorter than one window).
      validationExamples: Math.max(0, Math.floor((validIds.length - 1) / T)),
      epochBatches: (epoch) => {
        const generator = epochGenerator(config.seed, epoch);
        return streamBatches(trainIds, { batchSize: B, seqLen: T, randomOffset: true, generator });
      },
      step: (w, carried) => {
        const out = model.forward(w.input, B, T, toRecurrentState(carried));
        const loss = crossEntropy(out.logits.reshape([B * T, V]), w.target);
        return { loss, tokens: B * T, carried: toCarried(detachState(out.state)) };
      },
      evaluate: (progress) => {
        const v = evaluateLanguageModel(model, validIds, { batchSize: B, seqLen: T, progress });
        return { nll: v.nll, perplexity: v.perplexity, bitsPerToken: v.bitsPerToken };
      },
      saveModel: (info) => saveModelDir(outDir, model, { training: info.training, metrics: info.metrics }),
    };
  },
};

/**
 * Train a LanguageModel with core's runner: validation every `evalEvery` steps (or per epoch), lr decay on plateau,
 * early stopping, best model saved, and a resumable checkpoint that includes the carried hidden state.
 */
export function trainLanguageModel(
  config: LanguageModelTrainConfig,
  corpus: LmCorpus,
  options: RunOptions,
): TrainResult<LanguageModelTrainConfig> {
  return runTraining(languageModelTask, config, corpus, options);
}
