import type { TranslationTokenizer } from './translator.js';

/** Default bound on a translation's length: ceil(ratio · source subwords + offset) tokens, eos included. */
export const DEFAULT_MAX_LENGTH_RATIO = 1.5;
export const DEFAULT_MAX_LENGTH_OFFSET = 10;

/**
 * Most target tokens (eos included) a search may produce for a source of `sourceTokens` subwords; a row reaching it
 * is closed with eos. What translate uses, for code that decodes the same model another way (the bench's tfjs peer).
 */
export function outputLengthLimit(
  sourceTokens: number,
  options: { maxLengthRatio?: number; maxLengthOffset?: number } = {},
): number {
  const ratio = options.maxLengthRatio ?? DEFAULT_MAX_LENGTH_RATIO;
  const offset = options.maxLengthOffset ?? DEFAULT_MAX_LENGTH_OFFSET;
  return Math.ceil(ratio * sourceTokens + offset);
}

/** Ids a translation never contains: `<pad>`, `<s>` and `<unk>` (when the tokenizer has one). */
export function neverGeneratedIds(tokenizer: TranslationTokenizer): number[] {
  return [tokenizer.padId, tokenizer.bosId, ...(tokenizer.unkId === null ? [] : [tokenizer.unkId])];
}
