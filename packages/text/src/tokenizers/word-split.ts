/**
 * The word-splitting rule of WordTokenizer, chosen so raw text splits the way the PTB-tokenised training files
 * (SST-2) are written, and so already PTB-tokenised text keeps its own tokens:
 *
 * 1. Curly apostrophes (U+2019, U+2018) become `'`.
 * 2. Tokens are matched left to right, first alternative wins ("word characters" = Unicode letters, marks and
 *    digits, `[\p{L}\p{M}\p{N}]`):
 *    - PTB tokens kept whole: bracket escapes `-lrb-` `-rrb-` `-lsb-` `-rsb-` `-lcb-` `-rcb-`, quotes ``` `` ```
 *      and `''`;
 *    - the clitic `n't` is split from its word as in PTB: "don't" → `do n't`, "can't" → `ca n't`;
 *    - the clitics `'s 're 've 'll 'd 'm` are split from their word: "it's" → `it 's`; decades `'70s` stay whole;
 *    - acronyms with dots (`u.s.`, `e.t.`) and the abbreviations mr. mrs. ms. dr. jr. sr. st. vs. etc. inc. when
 *      more text follows (a sentence-final period is split off, as in PTB);
 *    - numbers with inner `.` or `,` (`1.8`, `2,500`);
 *    - a word: a run of word characters, runs joined by `-` or `/` (also PTB's escaped `\/`) stay one token
 *      ("christmas-tree", "writer/director");
 *    - `...`, `--` and runs of `*` stay one token each;
 *    - anything else that is not whitespace is a token of one character (punctuation, symbols, each emoji code point).
 * 3. Whitespace only separates tokens.
 * Case is kept here; WordTokenizer lowercases before splitting when `lowercase` is on.
 */
const W = '[\\p{L}\\p{M}\\p{N}]';
const NOT_W = '(?![\\p{L}\\p{M}\\p{N}])';
const TOKEN_RE = new RegExp(
  [
    '-(?:lrb|rrb|lsb|rsb|lcb|rcb)-',
    '``',
    "''",
    `${W}+(?=n't${NOT_W})`,
    `n't${NOT_W}`,
    `'\\p{N}0s${NOT_W}`,
    `'(?:s|re|ve|ll|d|m)${NOT_W}`,
    `(?:\\p{L}\\.){2,}(?=\\s|$)`,
    `(?:mr|mrs|ms|dr|jr|sr|st|vs|etc|inc)\\.(?=\\s+\\S)`,
    `\\p{N}+(?:[.,]\\p{N}+)+`,
    `${W}+(?:(?:-|\\\\?/)${W}+)*`,
    '\\.\\.\\.',
    '--',
    '(?:\\\\?\\*)+',
    '[^\\s\\p{L}\\p{M}\\p{N}]',
  ].join('|'),
  'giu',
);

/** Split text into word tokens by the rule documented above (no lowercasing). */
export function splitWords(text: string): string[] {
  return text.replace(/[\u2018\u2019]/g, "'").match(TOKEN_RE) ?? [];
}
