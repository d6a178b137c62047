/**
 * The word-splitting rule of WordTokenizer, chosen so raw text splits the way the PTB-tokenised training files
 * (SST-2) are written, and so already PTB-tokenised text splits into its own tokens:
 *
 * 1. Curly apostrophes (U+2019, U+2018) become `'`.
 * 2. Tokens are matched left to right, first alternative wins ("word characters" = Unicode letters, marks and
 *    digits, `[\p{L}\p{M}\p{N}]`):
 *    - PTB bracket escapes `-lrb-` `-rrb-` `-lsb-` `-rsb-` `-lcb-` `-rcb-` stay one token;
 *    - the clitic `n't` is split from its word as in PTB: "don't" → `do n't`, "can't" → `ca n't`;
 *    - the clitics `'s 're 've 'll 'd 'm` are split from their word: "it's" → `it 's`;
 *    - a word: a run of word characters, hyphenated runs joined ("christmas-tree", "well-made");
 *    - `...` and `--` stay one token each;
 *    - anything else that is not whitespace is a token of one character (punctuation, symbols, each emoji code point).
 * 3. Whitespace only separates tokens.
 * Case is kept here; WordTokenizer lowercases before splitting when `lowercase` is on.
 */
const TOKEN_RE =
  /-(?:lrb|rrb|lsb|rsb|lcb|rcb)-|[\p{L}\p{M}\p{N}]+(?=n't(?![\p{L}\p{M}\p{N}]))|n't(?![\p{L}\p{M}\p{N}])|'(?:s|re|ve|ll|d|m)(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*|\.\.\.|--|[^\s\p{L}\p{M}\p{N}]/giu;

/** Split text into word tokens by the rule documented above (no lowercasing). */
export function splitWords(text: string): string[] {
  return text.replace(/[\u2018\u2019]/g, "'").match(TOKEN_RE) ?? [];
}
