import type { TokenTruncation } from './config.js';

/**
 * The positions kept from a sequence of `length` tokens when at most `maxTokens` fit: the first maxTokens ('head'),
 * or the first ⌈max/2⌉ and the last ⌊max/2⌋ ('head-tail': a review's opening and its verdict at the end).
 */
export function keptPositions(length: number, maxTokens: number, truncation: TokenTruncation): number[] {
  if (length <= maxTokens) return Array.from({ length }, (_, i) => i);
  if (truncation === 'head') return Array.from({ length: maxTokens }, (_, i) => i);
  const head = Math.ceil(maxTokens / 2);
  const tail = maxTokens - head;
  return [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => length - tail + i)];
}

/** `items` restricted to keptPositions. */
export function truncateTokens<T>(items: readonly T[], maxTokens: number, truncation: TokenTruncation): T[] {
  if (items.length <= maxTokens) return [...items];
  return keptPositions(items.length, maxTokens, truncation).map((i) => items[i]!);
}
