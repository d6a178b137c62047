import { defaultGenerator, type Generator, ValueError } from '@recurrent/core';
import { padSequences, type PadOptions, type PaddedBatch } from './padding.js';

/** One example for classification: token ids and a class label. */
export interface LabelledSequence {
  ids: ArrayLike<number>;
  label: number;
}

/** A padded classification batch. */
export interface ClassificationBatch extends PaddedBatch {
  labels: number[];
  /** Position of each row's example in the input array (to map predictions back). */
  indices: number[];
}

export interface BucketBatchOptions extends PadOptions {
  batchSize: number;
  /** Shuffle examples and batch order (default: true when a generator is given, else false). */
  shuffle?: boolean;
  /** Randomness for shuffling (default: the core default generator). */
  generator?: Generator;
  /**
   * Examples per bucket (default batchSize × 50, rounded up to a multiple of batchSize). The (shuffled) examples are
   * cut into buckets, each bucket is sorted by length (longest first, ties in input order) and cut into batches,
   * so a batch holds similar lengths and wastes little padding while batches still differ between epochs.
   */
  bucketSize?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

/**
 * Length-bucketed, padded batches for many-to-one training or evaluation. With the same generator state the
 * result is identical (use epochGenerator(seed, epoch) for a per-epoch order that a resumed run can rebuild).
 */
export function bucketBatches(
  examples: readonly LabelledSequence[],
  options: BucketBatchOptions,
): ClassificationBatch[] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`batchSize must be a positive integer, got ${batchSize}`);
  const requested = options.bucketSize ?? batchSize * 50;
  if (!(requested >= 1)) throw new ValueError(`bucketSize must be at least 1, got ${requested}`);
  const bucketSize = Math.ceil(requested / batchSize) * batchSize;
  const shuffle = options.shuffle ?? options.generator !== undefined;
  const gen = options.generator ?? defaultGenerator();
  examples.forEach((e, i) => {
    if (!Number.isFinite(e.label)) throw new ValueError(`example ${i} has a non-numeric label ${e.label}`);
  });

  const order = shuffle ? gen.permutation(examples.length) : Array.from({ length: examples.length }, (_, i) => i);
  const groups: number[][] = [];
  for (let start = 0; start < order.length; start += bucketSize) {
    const bucket = order
      .slice(start, start + bucketSize)
      .map((idx, pos) => ({ idx, pos, len: examples[idx]!.ids.length }));
    bucket.sort((a, b) => b.len - a.len || a.pos - b.pos);
    for (let s = 0; s < bucket.length; s += batchSize) groups.push(bucket.slice(s, s + batchSize).map((x) => x.idx));
  }
  let batches = groups;
  if (options.dropLast) batches = batches.filter((g) => g.length === batchSize);
  if (shuffle) gen.shuffle(batches);
  return batches.map((indices) => ({
    ...padSequences(
      indices.map((i) => examples[i]!.ids),
      options,
    ),
    labels: indices.map((i) => examples[i]!.label),
    indices,
  }));
}

/** Re-exported from core: a Generator that depends only on (seed, epoch). */
export { epochGenerator } from '@recurrent/core';
