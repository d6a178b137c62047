import { describeValue, FormatError, ValueError } from '@recurrent/core';
import { learnMerges, MAX_BPE_VOCAB, pairKey } from './bpe-learn.js';
import {
  booleanField,
  checkHeader,
  checkSpecials,
  TOKENIZER_FORMAT,
  TOKENIZER_FORMAT_VERSION,
  type TokenizerJSONBase,
} from './format.js';
import { compareCodePoints, type Tokenizer } from './tokenizer.js';
import { BOS_ID, EOS_ID, PAD_ID, SPECIAL_TOKENS, UNK_ID, Vocabulary } from './vocabulary.js';

/**
 * Pre-tokenisation: merges never cross these pieces. A piece is an optional single leading space followed by a run
 * of letters/marks, or of digits, or of other non-space characters; every other whitespace character (newline,
 * tab, a second space) is a piece of its own. The leading space is the word-boundary marker: it is part of the
 * token (" the" ≠ "the"), so decoding is plain concatenation and round-trips exactly.
 */
const PIECE_RE = / ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s/gu;

/** Split text into BPE pre-tokens (concatenating them gives the text back). */
export function bpePieces(text: string): string[] {
  return text.match(PIECE_RE) ?? [];
}

export interface BpeTrainOptions {
  /** Number of merges to learn. Give this or vocabSize. */
  numMerges?: number;
  /** Target vocabulary size: 4 specials + the training characters + merged tokens. Give this or numMerges. */
  vocabSize?: number;
  /** Only merge pairs seen at least this often (default 2). */
  minPairCount?: number;
  /** Lowercase text before learning and encoding (default false: exact round trips). */
  lowercase?: boolean;
}

export interface BpeTokenizerJSON extends TokenizerJSONBase {
  type: 'bpe';
  lowercase: boolean;
  /** Merges in the order they were learned, as [left token, right token]. */
  merges: [string, string][];
}

export interface BpeDecodeOptions {
  /** Text for `<unk>` (default U+FFFD). `<pad>`, `<s>`, `</s>` decode to nothing. */
  unkText?: string;
}

/** Shown instead of the leading space by displayToken (SentencePiece's marker). */
export const WORD_BOUNDARY_DISPLAY = '\u2581';

const CACHE_LIMIT = 100_000;

/**
 * Byte-pair-encoding subword tokenizer learned from training text. Ids: `<pad>`=0, `<unk>`=1, `<s>`=2, `</s>`=3, then
 * the training characters sorted by code point, then merged tokens in the order they were learned. Characters not
 * seen in training encode to `<unk>`; text made of seen characters round-trips exactly through encode/decode.
 */
export class BpeTokenizer implements Tokenizer {
  readonly type = 'bpe' as const;
  readonly padId = PAD_ID;
  readonly unkId = UNK_ID;
  readonly bosId = BOS_ID;
  readonly eosId = EOS_ID;
  readonly lowercase: boolean;
  readonly vocab: Vocabulary;
  private readonly merges: readonly [number, number][];
  /** pair key → [rank, merged id] */
  private readonly ranks: Map<number, [number, number]>;
  private readonly cache = new Map<string, number[]>();

  /** Build from a vocabulary (specials first) and merges as token-id pairs; validates their consistency. */
  constructor(tokens: readonly string[], merges: readonly [number, number][], options: { lowercase?: boolean } = {}) {
    this.lowercase = options.lowercase ?? false;
    checkSpecials(tokens, SPECIAL_TOKENS);
    this.vocab = new Vocabulary(tokens);
    if (tokens.length > MAX_BPE_VOCAB)
      throw new ValueError(`BpeTokenizer: vocabulary of ${tokens.length} exceeds the limit ${MAX_BPE_VOCAB}`);
    this.merges = merges.map(([a, b]) => [a, b]);
    this.ranks = new Map();
    this.merges.forEach(([a, b], rank) => {
      const left = this.vocab.token(a);
      const right = this.vocab.token(b);
      if (a < SPECIAL_TOKENS.length || b < SPECIAL_TOKENS.length)
        throw new ValueError(`BpeTokenizer: merge ${rank} uses a special token`);
      const merged = this.vocab.id(left + right);
      if (merged === undefined)
        throw new ValueError(
          `BpeTokenizer: merge ${rank} (${describeValue(left)} + ${describeValue(right)}) has no token in the ` +
            `vocabulary`,
        );
      const key = pairKey(a, b);
      if (this.ranks.has(key))
        throw new ValueError(
          `BpeTokenizer: merge ${rank} (${describeValue(left)} + ${describeValue(right)}) is listed twice`,
        );
      this.ranks.set(key, [rank, merged]);
    });
  }

  /** Learn merges from training texts (deterministic: see bpe-learn.ts for the tie rule). */
  static train(texts: Iterable<string>, options: BpeTrainOptions): BpeTokenizer {
    const lowercase = options.lowercase ?? false;
    if ((options.numMerges === undefined) === (options.vocabSize === undefined)) {
      throw new ValueError('BpeTokenizer.train: give exactly one of numMerges and vocabSize');
    }
    const numMerges = options.numMerges ?? Infinity;
    if (numMerges !== Infinity && (!Number.isInteger(numMerges) || numMerges < 0))
      throw new ValueError(`BpeTokenizer.train: numMerges must be a non-negative integer, got ${numMerges}`);
    const vocabSize = options.vocabSize ?? MAX_BPE_VOCAB;
    if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize > MAX_BPE_VOCAB)
      throw new ValueError(`BpeTokenizer.train: vocabSize must be an integer in 1..${MAX_BPE_VOCAB}, got ${vocabSize}`);
    const minPairCount = options.minPairCount ?? 2;
    if (!Number.isInteger(minPairCount) || minPairCount < 1)
      throw new ValueError(`BpeTokenizer.train: minPairCount must be a positive integer, got ${minPairCount}`);

    const pieceCounts = new Map<string, number>();
    for (const raw of texts) {
      for (const p of bpePieces(lowercase ? raw.toLowerCase() : raw)) pieceCounts.set(p, (pieceCounts.get(p) ?? 0) + 1);
    }
    const chars = new Set<string>();
    for (const p of pieceCounts.keys()) for (const ch of p) chars.add(ch);
    if (chars.size === 0) throw new ValueError('BpeTokenizer.train: the training text is empty');
    const alphabet = [...chars].sort(compareCodePoints);
    if (vocabSize < SPECIAL_TOKENS.length + alphabet.length) {
      throw new ValueError(
        `BpeTokenizer.train: vocabSize ${vocabSize} is smaller than the ${SPECIAL_TOKENS.length} specials + ` +
          `${alphabet.length} training characters`,
      );
    }
    const tokens = [...SPECIAL_TOKENS, ...alphabet];
    const tokenIds = new Map(tokens.map((t, i) => [t, i]));
    const words: number[][] = [];
    const counts: number[] = [];
    for (const [p, c] of pieceCounts) {
      words.push(Array.from(p, (ch) => tokenIds.get(ch)!));
      counts.push(c);
    }
    const merges = learnMerges({
      words,
      counts,
      tokens,
      tokenIds,
      maxMerges: numMerges,
      maxVocab: vocabSize,
      minPairCount,
    });
    return new BpeTokenizer(tokens, merges, { lowercase });
  }

  /** Load from the JSON written by toJSON; FormatError when it is malformed. */
  static fromJSON(json: unknown): BpeTokenizer {
    const o = checkHeader(json, 'bpe');
    const lowercase = booleanField(o, 'lowercase');
    const tokens = o.tokens as string[];
    if (!Array.isArray(o.merges))
      throw new FormatError('tokenizer field "merges" must be an array of [left, right] token pairs');
    try {
      const vocab = new Vocabulary(tokens);
      const merges = (o.merges as unknown[]).map((m, i): [number, number] => {
        if (!Array.isArray(m) || m.length !== 2 || typeof m[0] !== 'string' || typeof m[1] !== 'string') {
          throw new FormatError(
            `tokenizer field "merges"[${i}] must be a pair of token strings, got ${describeValue(m)}`,
          );
        }
        const a = vocab.id(m[0]);
        const b = vocab.id(m[1]);
        if (a === undefined || b === undefined)
          throw new FormatError(
            `tokenizer merge ${i} uses a token missing from "tokens": ${describeValue(a === undefined ? m[0] : m[1])}`,
          );
        return [a, b];
      });
      return new BpeTokenizer(tokens, merges, { lowercase });
    } catch (e) {
      if (e instanceof ValueError) throw new FormatError(`invalid bpe tokenizer file: ${e.message}`);
      throw e;
    }
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  /** Number of learned merges. */
  get numMerges(): number {
    return this.merges.length;
  }

  /** Token strings of the encoding (unseen characters appear as `<unk>`). */
  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.vocab.token(id));
  }

  unknownTokens(text: string): string[] {
    const unknown = new Set<string>();
    for (const ch of this.lowercase ? text.toLowerCase() : text) if (!this.vocab.has(ch)) unknown.add(ch);
    return [...unknown];
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const piece of bpePieces(this.lowercase ? text.toLowerCase() : text)) {
      let ids = this.cache.get(piece);
      if (!ids) {
        ids = this.encodePiece(piece);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** Apply merges to one piece: repeatedly merge (everywhere) the adjacent pair with the lowest rank. */
  private encodePiece(piece: string): number[] {
    let symbols = Array.from(piece, (ch) => this.vocab.id(ch) ?? UNK_ID);
    for (;;) {
      let bestRank = Infinity;
      let best: [number, number, number] | null = null;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const r = this.ranks.get(pairKey(symbols[i]!, symbols[i + 1]!));
        if (r && r[0] < bestRank) {
          bestRank = r[0];
          best = [symbols[i]!, symbols[i + 1]!, r[1]];
        }
      }
      if (!best) return symbols;
      const [a, b, merged] = best;
      const next: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(symbols[i]!);
      }
      symbols = next;
    }
  }

  decode(ids: ArrayLike<number>, options: BpeDecodeOptions = {}): string {
    const unkText = options.unkText ?? '\uFFFD';
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const token = this.vocab.token(id);
      if (id === UNK_ID) s += unkText;
      else if (id >= SPECIAL_TOKENS.length) s += token;
    }
    return s;
  }

  idToToken(id: number): string {
    return this.vocab.token(id);
  }

  /** The token with its leading space shown as ▁ (for printing token lists). */
  displayToken(id: number): string {
    const t = this.vocab.token(id);
    return t.startsWith(' ') ? WORD_BOUNDARY_DISPLAY + t.slice(1) : t;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.id(token);
  }

  /** The learned merges in order, as token strings. */
  mergeList(): [string, string][] {
    return this.merges.map(([a, b]) => [this.vocab.token(a), this.vocab.token(b)]);
  }

  toJSON(): BpeTokenizerJSON {
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_FORMAT_VERSION,
      type: 'bpe',
      lowercase: this.lowercase,
      tokens: this.vocab.toArray(),
      merges: this.mergeList(),
    };
  }
}
