import { ValueError } from '@recurrent/core';
import { BpeTokenizer, bpePieces } from '../tokenizers/bpe.js';
import { SPECIAL_TOKENS } from '../tokenizers/vocabulary.js';
import { compareCodePoints, type Tokenizer } from '../tokenizers/tokenizer.js';

/** Any numeric character (the BPE pre-tokeniser's \p{N}). */
const NUMERIC = /\p{N}/u;
const DIGITS = '0123456789';

export interface JointBpeOptions {
  /** Target size of the joint vocabulary (4 specials + characters + merges). */
  vocabSize: number;
  /** Lowercase before learning and encoding (default false: cased output). */
  lowercase?: boolean;
  /** Only merge pairs seen at least this often (default 2). */
  minPairCount?: number;
}

/**
 * Joint source–target BPE for translation, learned with the package's BPE learner on the concatenated source and
 * target training sentences, so names and rare words shared by both languages are spelled out in the same pieces
 * (never `<unk>` as long as their characters were seen).
 *
 * Numbers: no merge may build a token containing a numeric character, so every number is spelled digit by digit
 * (" 1984" → " ", "1", "9", "8", "4") and the ten ASCII digits are always in the vocabulary. Any number in the
 * source is thus representable exactly, and the decoder's number guard (see guards.ts) can restrict the output's
 * digits to copies of the source's numbers. Merges a plain learner spent on digits are re-learned on words: the
 * learner runs again with its target raised by the number of tokens that were dropped (usually twice in all).
 */
export function learnJointBpe(sentences: Iterable<string>, options: JointBpeOptions): BpeTokenizer {
  const texts = [...sentences];
  const { vocabSize } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 16)
    throw new ValueError(`learnJointBpe: vocabSize must be an integer ≥ 16, got ${vocabSize}`);
  const train = (size: number): BpeTokenizer =>
    withoutNumericMerges(
      BpeTokenizer.train(texts, { vocabSize: size, lowercase: options.lowercase, minPairCount: options.minPairCount }),
    );
  // Dropped numeric merges free room and missing digits take some: adjust the learner's target until the result
  // has vocabSize tokens (or the largest size below it, when the pair counts run out first).
  let best: BpeTokenizer | null = null;
  let target = vocabSize;
  for (let attempt = 0; attempt < 4 && target > 0; attempt++) {
    const result = train(target);
    if (result.vocabSize <= vocabSize && (!best || result.vocabSize > best.vocabSize)) best = result;
    if (
      result.vocabSize === vocabSize ||
      (best && result.vocabSize < vocabSize && result.vocabSize === best.vocabSize && attempt > 0)
    )
      break;
    target += vocabSize - result.vocabSize;
  }
  if (!best)
    throw new ValueError(
      `learnJointBpe: could not fit the vocabulary into ${vocabSize} tokens (the alphabet is larger)`,
    );
  return best;
}

/** The same tokenizer without merges that produce numeric tokens (and with all ten ASCII digits). */
export function withoutNumericMerges(tokenizer: BpeTokenizer): BpeTokenizer {
  const merges = tokenizer.mergeList().filter(([a, b]) => !NUMERIC.test(a + b));
  const all = tokenizer.toJSON().tokens;
  const alphabet = new Set(all.slice(SPECIAL_TOKENS.length).filter((t) => [...t].length === 1));
  for (const d of DIGITS) alphabet.add(d);
  const chars = [...alphabet].sort(compareCodePoints);
  const mergedTokens: string[] = [];
  const seen = new Set([...SPECIAL_TOKENS, ...chars]);
  for (const [a, b] of merges) {
    const t = a + b;
    if (!seen.has(t)) {
      seen.add(t);
      mergedTokens.push(t);
    }
  }
  const tokens = [...SPECIAL_TOKENS, ...chars, ...mergedTokens];
  const index = new Map(tokens.map((t, i) => [t, i]));
  const idOf = (t: string): number => {
    const id = index.get(t);
    if (id === undefined)
      throw new ValueError(`withoutNumericMerges: merge operand ${JSON.stringify(t)} is not in the vocabulary`);
    return id;
  };
  return new BpeTokenizer(
    tokens,
    merges.map(([a, b]) => [idOf(a), idOf(b)]),
    { lowercase: tokenizer.lowercase },
  );
}

/** Ids of the single-character numeric tokens of a tokenizer. */
export function digitTokenIds(tokenizer: Pick<Tokenizer, 'vocabSize' | 'idToToken'>): Set<number> {
  const ids = new Set<number>();
  for (let id = SPECIAL_TOKENS.length; id < tokenizer.vocabSize; id++) {
    const t = tokenizer.idToToken(id);
    if ([...t].length === 1 && NUMERIC.test(t)) ids.add(id);
  }
  return ids;
}

/** The runs of digit ids in an encoded sentence (its numbers, digit by digit). */
export function numberRuns(ids: readonly number[], digitIds: ReadonlySet<number>): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (const id of ids) {
    if (digitIds.has(id)) run.push(id);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The numbers of a text as the tokenizer's pre-tokeniser sees them (for checks: "are the numbers copied?"). */
export function numbersIn(text: string): string[] {
  return bpePieces(text)
    .map((p) => p.trim())
    .filter((p) => NUMERIC.test(p));
}
