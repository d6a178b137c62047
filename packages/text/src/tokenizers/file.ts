import { readTextChecked, writeFileAtomic } from '@recurrent/core/node';
import { parseTokenizer, stringifyTokenizer, type AnyTokenizer } from './load.js';
import type { Tokenizer } from './tokenizer.js';

/** Write a tokenizer's JSON (e.g. beside model.safetensors), atomically: a temporary file renamed into place. */
export function saveTokenizerFile(path: string, tokenizer: Tokenizer): void {
  writeFileAtomic(path, stringifyTokenizer(tokenizer));
}

/** Read a tokenizer saved by saveTokenizerFile; FormatError naming the file when it is malformed. */
export function loadTokenizerFile(path: string): AnyTokenizer {
  return parseTokenizer(readTextChecked(path, 'a tokenizer JSON file'), path);
}
