// How much of a typed prefix the language models read. Conditioning runs the whole context through the LSTM on every
// keystroke, so an unbounded prefix (up to 50,000 pasted characters) would make the top-k list lag by seconds.

/** Characters of context the next-word page feeds the models, by tokenizer type. */
export const CONTEXT_CHARS = { char: 400, word: 1_500, bpe: 1_500 } as const;

export interface ContextWindow {
  text: string;
  /** True when the beginning of the prefix was dropped. */
  truncated: boolean;
}

/**
 * The last `maxChars` UTF-16 code units of `prefix`, never starting inside a surrogate pair; when `wholeWords`, the
 * cut moves forward to the next whitespace (if one is within the window) so no half word leads the context.
 */
export function lastChars(prefix: string, maxChars: number, wholeWords: boolean): ContextWindow {
  if (prefix.length <= maxChars) return { text: prefix, truncated: false };
  let start = prefix.length - maxChars;
  const c = prefix.charCodeAt(start);
  if (c >= 0xdc00 && c <= 0xdfff) start++;
  if (wholeWords) {
    const space = prefix.slice(start).search(/\s/u);
    if (space >= 0 && space < prefix.length - start - 1) start += space + 1;
  }
  return { text: prefix.slice(start), truncated: true };
}
