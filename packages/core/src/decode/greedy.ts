import type { Hypothesis, LogProbs } from './types.js';
import { decodeTokenwise, type TokenwiseOptions } from './tokenwise.js';
import { ValueError } from '../errors.js';

export type GreedyOptions<S> = TokenwiseOptions<S>;

/** Index of the largest entry (the first on ties); throws on NaN or when every entry is -Infinity. */
export function argmaxRow(row: ArrayLike<number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const x = row[i]!;
    if (Number.isNaN(x)) throw new ValueError(`argmaxRow: NaN at index ${i}`);
    if (x > bestValue) {
      bestValue = x;
      best = i;
    }
  }
  if (best < 0) throw new ValueError('argmaxRow: every entry is -Infinity (no token is possible)');
  return best;
}

/**
 * Greedy decoding of `batchSize` sequences side by side: each step takes the most probable token.
 * Returns one hypothesis per batch row (score = logProb). With `selectState`, finished rows leave the batch.
 */
export function greedyDecodeBatch<S>(options: GreedyOptions<S>): Hypothesis[] {
  return decodeTokenwise('greedyDecode', options, (row: LogProbs) => argmaxRow(row));
}

/** Greedy decoding of one sequence (`initialState` has one row). */
export function greedyDecode<S>(options: Omit<GreedyOptions<S>, 'batchSize'>): Hypothesis {
  return greedyDecodeBatch({ ...options, batchSize: 1 })[0]!;
}
