import { describeValue, FormatError } from '@recurrent/core';
import { BpeTokenizer } from './bpe.js';
import { CharTokenizer } from './char.js';
import type { Tokenizer } from './tokenizer.js';
import { WordTokenizer } from './word.js';

export type AnyTokenizer = CharTokenizer | WordTokenizer | BpeTokenizer;

/** Rebuild whichever tokenizer a parsed JSON object describes (by its `type`); FormatError when malformed. */
export function tokenizerFromJSON(json: unknown): AnyTokenizer {
  const type = json !== null && typeof json === 'object' ? (json as { type?: unknown }).type : undefined;
  switch (type) {
    case 'char':
      return CharTokenizer.fromJSON(json);
    case 'word':
      return WordTokenizer.fromJSON(json);
    case 'bpe':
      return BpeTokenizer.fromJSON(json);
    default:
      throw new FormatError(`unknown tokenizer type ${describeValue(type)} (expected "char", "word" or "bpe")`);
  }
}

/** Parse the text of a saved tokenizer file; invalid JSON is a FormatError naming `source` (e.g. the file path). */
export function parseTokenizer(text: string, source = 'tokenizer JSON'): AnyTokenizer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return tokenizerFromJSON(json);
  } catch (e) {
    if (e instanceof FormatError && source !== 'tokenizer JSON') throw new FormatError(`${source}: ${e.message}`);
    throw e;
  }
}

/** Serialise a tokenizer to the JSON text stored beside model weights. */
export function stringifyTokenizer(tokenizer: Tokenizer): string {
  return `${JSON.stringify(tokenizer.toJSON())}\n`;
}
