import { crossEntropy, ValueError, type Generator, type Tensor } from '@recurrent/core';
import type { Translator } from './translator.js';

/** One training example as subword ids, without bos/eos. */
export interface TranslationExample {
  src: number[];
  tgt: number[];
}

export interface TranslationLossOptions {
  /** Label smoothing ε (default 0). */
  labelSmoothing?: number;
}

/**
 * Teacher-forced cross-entropy of a batch: the decoder reads bos + target and predicts target + eos; padding is
 * ignored, so the result is the mean over the batch's `tokens` target tokens (eos included).
 */
export function translationLoss(
  model: Translator,
  batch: readonly TranslationExample[],
  options: TranslationLossOptions = {},
): { loss: Tensor; tokens: number } {
  if (batch.length === 0) throw new ValueError('translationLoss: the batch is empty');
  const { bosId, eosId, padId } = model.tokenizer;
  batch.forEach((e, i) => {
    if (e.src.length === 0) throw new ValueError(`translationLoss: example ${i} has an empty source`);
  });
  const tgtIn = batch.map((e) => [bosId, ...e.tgt]);
  const T = Math.max(...tgtIn.map((r) => r.length));
  const targets = new Int32Array(batch.length * T).fill(padId);
  batch.forEach((e, b) => {
    targets.set(e.tgt, b * T);
    targets[b * T + e.tgt.length] = eosId;
  });
  const { logits } = model.forward(
    batch.map((e) => e.src),
    tgtIn,
  );
  const V = model.architecture.vocabSize;
  const loss = crossEntropy(logits.reshape([batch.length * T, V]), targets, {
    ignoreIndex: padId,
    labelSmoothing: options.labelSmoothing ?? 0,
  });
  return { loss, tokens: batch.reduce((n, e) => n + e.tgt.length + 1, 0) };
}

export interface TranslationBatchOptions {
  batchSize: number;
  /** Shuffles the examples (none: the given order). */
  generator?: Generator;
  /**
   * Sort pools of this many batches by target then source length, so a batch holds similar lengths (default 50;
   * 1 = off). The decoder runs one step per target position, so the target length sets most of a step's cost.
   */
  poolBatches?: number;
}

/** Split examples into batches for one epoch: shuffled, length-sorted within pools, then the batches shuffled. */
export function translationBatches(
  examples: readonly TranslationExample[],
  options: TranslationBatchOptions,
): TranslationExample[][] {
  const { batchSize, generator } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`translationBatches: batchSize must be a positive integer, got ${batchSize}`);
  const pool = (options.poolBatches ?? 50) * batchSize;
  const order = Array.from(examples.keys());
  const shuffle = <T>(a: T[]): void => {
    if (!generator) return;
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(generator.random() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  };
  shuffle(order);
  const batches: TranslationExample[][] = [];
  for (let start = 0; start < order.length; start += pool) {
    const chunk = order.slice(start, start + pool).map((i) => examples[i]!);
    if (pool > batchSize) chunk.sort((a, b) => a.tgt.length - b.tgt.length || a.src.length - b.src.length);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  shuffle(batches);
  return batches;
}
