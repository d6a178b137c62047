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

/** What was cut from an input before a model read it: characters (input hygiene's limit) and/or tokens. */
export interface InputTruncation {
  /** Characters (UTF-16 code units) before and after the character limit; null when nothing was cut there. */
  characters: { original: number; kept: number } | null;
  /** Tokens of the (possibly already cut) text, and how many the model read; null when all were read. */
  tokens: { original: number; kept: number } | null;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * One line saying what really happened to an input: "131,072 characters cut to 50,000; 1 token read" (the text was
 * too long, not the token sequence), "340 tokens, 100 read (head and tail kept)", or both. Null when nothing was cut.
 */
export function describeTruncation(t: InputTruncation, how: TokenTruncation | 'head' = 'head'): string | null {
  const parts: string[] = [];
  if (t.characters) parts.push(`${count(t.characters.original)} characters cut to ${count(t.characters.kept)}`);
  if (t.tokens) {
    const kept = how === 'head-tail' ? 'the first and last kept' : 'the first kept';
    parts.push(`${count(t.tokens.original)} tokens, ${count(t.tokens.kept)} read (${kept})`);
  } else if (t.characters) parts.push('all tokens read');
  return parts.length > 0 ? parts.join('; ') : null;
}
