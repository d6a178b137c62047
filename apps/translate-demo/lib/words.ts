// Subword pieces → words, for the word view of a translation (the "show subword pieces" toggle off): which pieces
// make each word, the word-level attention matrix and each word's probability. Pure functions, unit-tested.

/** Letters (with their marks), digits, or anything else: a BPE piece never mixes two of these. */
type CharClass = 'letter' | 'digit' | 'other';

function classOf(ch: string): CharClass {
  if (/[\p{L}\p{M}]/u.test(ch)) return 'letter';
  if (/\p{N}/u.test(ch)) return 'digit';
  return 'other';
}

const SPECIAL = /^<[a-z/]+>$/;

/** A hyphen or apostrophe between two pieces without spaces: "t-shirt", "l'eau", "man's" stay one word. */
const JOINER = /^[-'’]$/u;

/**
 * The words of a token sequence, as lists of token indices. The tokenizer's pre-tokenisation makes a word a run of
 * letters, of digits or of other characters with an optional leading space (the word-boundary marker), and merges
 * never cross words; so a token starts a new word when it starts with a space, is a special token (`<unk>`), or
 * begins with another class of character than the previous token ended with — except that a lone hyphen or
 * apostrophe right after a word glues it to the piece that follows without a space. A bare " " token (before a
 * number) joins the word that follows it.
 */
export function wordGroups(tokens: readonly string[]): number[][] {
  const groups: number[][] = [];
  let previous = '';
  let glued = false;
  tokens.forEach((token, i) => {
    const current = groups.at(-1);
    const special = SPECIAL.test(token) || SPECIAL.test(previous);
    const afterBareSpace = previous !== '' && previous.trim() === '';
    const spaced = /^\s/u.test(token);
    const joiner = JOINER.test(token) && classOf(previous.charAt(previous.length - 1)) !== 'other';
    const startsWord =
      current === undefined ||
      special ||
      (!afterBareSpace &&
        !(glued && !spaced) &&
        !joiner &&
        (spaced || classOf(token.charAt(0)) !== classOf(previous.charAt(previous.length - 1))));
    if (startsWord) groups.push([i]);
    else current.push(i);
    glued = joiner && !special && current !== undefined;
    previous = token;
  });
  return groups;
}

/** The text of each word (its pieces joined, the boundary space dropped). */
export function wordTexts(tokens: readonly string[], groups: readonly (readonly number[])[]): string[] {
  return groups.map((g) =>
    g
      .map((i) => tokens[i] ?? '')
      .join('')
      .trim(),
  );
}

/**
 * Attention between words: entry [w][v] is the attention the pieces of target word w paid to the pieces of source
 * word v — summed over v's pieces (mass on the word) and averaged over w's pieces — so each row still sums to 1.
 */
export function wordAttention(
  attention: readonly (readonly number[])[],
  targetGroups: readonly (readonly number[])[],
  sourceGroups: readonly (readonly number[])[],
): number[][] {
  return targetGroups.map((pieces) =>
    sourceGroups.map((columns) => {
      let sum = 0;
      for (const t of pieces) {
        const row = attention[t];
        if (!row) throw new RangeError(`wordAttention: no attention row ${t} (have ${attention.length})`);
        for (const s of columns) sum += row[s] ?? 0;
      }
      return sum / pieces.length;
    }),
  );
}

/** The probability of each word: the product of its pieces' probabilities. */
export function wordProbabilities(probabilities: readonly number[], groups: readonly (readonly number[])[]): number[] {
  return groups.map((g) => g.reduce((p, i) => p * (probabilities[i] ?? 1), 1));
}

/** A piece as shown in the subword view: the word-boundary space as ▁ (as the tokenizer prints pieces). */
export function showPiece(token: string): string {
  return token.startsWith(' ') ? `▁${token.slice(1)}` : token;
}
