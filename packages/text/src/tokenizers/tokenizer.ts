import type { TokenizerJSONBase, TokenizerType } from './format.js';

/** What every tokenizer offers; models and batchers depend on this, not on a concrete class. */
export interface Tokenizer {
  readonly type: TokenizerType;
  /** Number of ids (the size of an embedding table / output layer). */
  readonly vocabSize: number;
  /** Id used for padding, or null when this tokenizer has none (a plain char-rnn style character vocabulary). */
  readonly padId: number | null;
  /** Id produced for unseen input, or null when unseen input is an error. */
  readonly unkId: number | null;
  /** Text to token ids. */
  encode(text: string): number[];
  /** Token ids back to text. */
  decode(ids: ArrayLike<number>): string;
  /** Text to token strings (what encode looks up). */
  tokenize(text: string): string[];
  /** The string of one id (special tokens by their names, e.g. `<unk>`). */
  idToToken(id: number): string;
  /** The id of a token string, or undefined. */
  tokenToId(token: string): number | undefined;
  /**
   * The distinct pieces of text this tokenizer cannot represent (unseen characters for char and BPE, out-of-vocabulary
   * words for word), in order of first appearance: what a UI lists as "not known to the model".
   */
  unknownTokens(text: string): string[];
  /** The versioned, self-describing JSON to save beside model weights. */
  toJSON(): TokenizerJSONBase;
}

/** Compare strings by Unicode code point (Python's sort order; JS's default compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** "U+1F600" style name of a character, for error messages. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  return `${printable ? `"${ch}" ` : ''}(U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
