// How tokens and numbers are written on the pages.

/** A next-token candidate as a reader sees it: whitespace and special tokens get visible names. */
export function displayToken(token: string): { text: string; hint?: string } {
  switch (token) {
    case ' ':
      return { text: '␣', hint: 'space' };
    case '\n':
      return { text: '↵', hint: 'new line' };
    case '\t':
      return { text: '⇥', hint: 'tab' };
    case '</s>':
      return { text: '⟨end⟩', hint: 'end of line' };
    case '<s>':
      return { text: '⟨start⟩', hint: 'start of sentence' };
    case '<unk>':
      return { text: '⟨unk⟩', hint: 'unknown word' };
    case '<pad>':
      return { text: '⟨pad⟩', hint: 'padding' };
    default:
      if (token.startsWith(' ') && token.length > 1) return { text: `▁${token.slice(1)}`, hint: 'starts a new word' };
      return { text: token };
  }
}

/** The prefix with a predicted token appended (a word gets a separating space; special tokens are not appended). */
export function appendToken(prefix: string, token: string, tokenType: 'char' | 'word' | 'bpe'): string {
  if (token === '</s>') return tokenType === 'word' ? `${prefix.trimEnd()}\n` : prefix;
  if (/^<\w+>$/.test(token)) return prefix;
  if (tokenType !== 'word') return prefix + token;
  const glue = prefix.length === 0 || /\s$/.test(prefix) || /^[.,;:!?')\]]|^n't$|^'\w+$/.test(token) ? '' : ' ';
  return `${prefix}${glue}${token}`;
}

/** A probability for the verdict: "87.3%", and "<0.1%" / ">99.9%" at the ends rather than a flat 0 or 100. */
export function probabilityText(p: number): string {
  if (p < 0.0005) return '<0.1%';
  if (p > 0.9995) return '>99.9%';
  return percent(p);
}

/** 0.8734 → "87.3%". */
export function percent(p: number, digits = 1): string {
  return `${(p * 100).toFixed(digits)}%`;
}

/** Split generated text around `<unk>` so the page can mark the words the model could only call "unknown". */
export function splitUnknown(text: string): { text: string; unknown: boolean }[] {
  return text
    .split(/(<unk>)/)
    .filter((part) => part.length > 0)
    .map((part) => ({ text: part, unknown: part === '<unk>' }));
}

/**
 * Word-model output reads better with the word tokenizer's splits undone: no space before punctuation or a clitic
 * ("it 's good ." → "it's good."), none after an opening bracket. Display only; `<unk>` is kept.
 */
export function detokenizeWords(text: string): string {
  return text.replace(/ +([.,;:!?)\]}%]|n't\b|'(?:s|re|ve|ll|d|m)\b)/g, '$1').replace(/([([{$]) +/g, '$1');
}

/** The continuation as shown after the prefix: word output detokenized and separated by a space when one is due. */
export function continuationText(prefix: string, continuation: string, tokenType: 'char' | 'word' | 'bpe'): string {
  if (tokenType !== 'word') return continuation;
  const words = detokenizeWords(continuation);
  const attaches = /^(?:[.,;:!?)\]}%]|n't\b|'(?:s|re|ve|ll|d|m)\b)/.test(words);
  return prefix.length === 0 || /\s$/.test(prefix) || attaches ? words : ` ${words}`;
}
