import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseTokenizer, stringifyTokenizer, type AnyTokenizer } from './load.js';
import type { Tokenizer } from './tokenizer.js';

/** Write a tokenizer's JSON (e.g. beside model.safetensors), atomically: a temporary file renamed into place. */
export function saveTokenizerFile(path: string, tokenizer: Tokenizer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, stringifyTokenizer(tokenizer));
  renameSync(tmp, path);
}

/** Read a tokenizer saved by saveTokenizerFile; FormatError naming the file when it is malformed. */
export function loadTokenizerFile(path: string): AnyTokenizer {
  return parseTokenizer(readFileSync(path, 'utf8'), path);
}
