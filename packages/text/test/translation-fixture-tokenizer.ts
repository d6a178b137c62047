import { BpeTokenizer, SPECIAL_TOKENS } from '../src/index.js';

/** A character tokenizer with exactly `vocabSize` ids (specials, then letters; no digits, no merges) for fixtures. */
export function fixtureTokenizer(vocabSize: number): BpeTokenizer {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const n = vocabSize - SPECIAL_TOKENS.length;
  if (n < 1 || n > letters.length)
    throw new Error(`fixtureTokenizer: vocabSize must be in 5..${letters.length + 4}, got ${vocabSize}`);
  return new BpeTokenizer([...SPECIAL_TOKENS, ...letters.slice(0, n)], []);
}
