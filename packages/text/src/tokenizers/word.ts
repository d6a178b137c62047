import { FormatError, ValueError } from '@recurrent/core';
import {
  booleanField,
  checkHeader,
  checkSpecials,
  TOKENIZER_FORMAT,
  TOKENIZER_FORMAT_VERSION,
  type TokenizerJSONBase,
} from './format.js';
import type { Tokenizer } from './tokenizer.js';
import {
  BOS_ID,
  countItems,
  EOS_ID,
  PAD_ID,
  rankByFrequency,
  SPECIAL_TOKENS,
  UNK_ID,
  Vocabulary,
} from './vocabulary.js';
import { splitWords } from './word-split.js';

export interface WordTokenizerOptions {
  /** Lowercase before splitting (default true; SST-2 is lower-cased). */
  lowercase?: boolean;
}

export interface WordVocabularyOptions extends WordTokenizerOptions {
  /** Keep words seen at least this often (default 1). */
  minFreq?: number;
  /** Largest vocabulary, the 4 special tokens included; the most frequent words are kept. */
  maxSize?: number;
}

export interface WordEncodeOptions {
  /** Prepend `<s>` (id 2). */
  addBos?: boolean;
  /** Append `</s>` (id 3). */
  addEos?: boolean;
}

export interface WordDecodeOptions {
  /** Leave out `<pad>`, `<s>` and `</s>` (default true). `<unk>` is always shown. */
  skipSpecials?: boolean;
}

export interface WordTokenizerJSON extends TokenizerJSONBase {
  type: 'word';
  lowercase: boolean;
}

/**
 * Word-level tokenizer: split by the rule in `word-split.ts`, optional lowercasing, a frequency-ranked vocabulary
 * with `<pad>`=0, `<unk>`=1, `<s>`=2, `</s>`=3; words not in the vocabulary become `<unk>`. decode joins tokens
 * with single spaces (the original spacing is not kept).
 */
export class WordTokenizer implements Tokenizer {
  readonly type = 'word' as const;
  readonly lowercase: boolean;
  readonly padId = PAD_ID;
  readonly unkId = UNK_ID;
  readonly bosId = BOS_ID;
  readonly eosId = EOS_ID;
  readonly vocab: Vocabulary;

  /** A tokenizer over this vocabulary, which must start with the four special tokens. */
  constructor(tokens: readonly string[], options: WordTokenizerOptions = {}) {
    this.lowercase = options.lowercase ?? true;
    checkSpecials(tokens, SPECIAL_TOKENS);
    this.vocab = new Vocabulary(tokens);
  }

  /** Build the vocabulary from training texts (most frequent first, ties in code-unit order). */
  static fromTexts(texts: Iterable<string>, options: WordVocabularyOptions = {}): WordTokenizer {
    const lowercase = options.lowercase ?? true;
    const minFreq = options.minFreq ?? 1;
    if (!Number.isInteger(minFreq) || minFreq < 1)
      throw new ValueError(`WordTokenizer: minFreq must be a positive integer, got ${minFreq}`);
    const maxSize = options.maxSize ?? Infinity;
    if (maxSize !== Infinity && (!Number.isInteger(maxSize) || maxSize < SPECIAL_TOKENS.length)) {
      throw new ValueError(
        `WordTokenizer: maxSize must be an integer of at least ${SPECIAL_TOKENS.length} (the special tokens), got ` +
          `${maxSize}`,
      );
    }
    const counts = new Map<string, number>();
    for (const text of texts) countItems(splitWords(lowercase ? text.toLowerCase() : text), counts);
    for (const s of SPECIAL_TOKENS) counts.delete(s);
    const words = rankByFrequency(counts, minFreq).slice(0, maxSize - SPECIAL_TOKENS.length);
    return new WordTokenizer([...SPECIAL_TOKENS, ...words], { lowercase });
  }

  /** Load from the JSON written by toJSON; FormatError when it is malformed. */
  static fromJSON(json: unknown): WordTokenizer {
    const o = checkHeader(json, 'word');
    const lowercase = booleanField(o, 'lowercase');
    try {
      return new WordTokenizer(o.tokens as string[], { lowercase });
    } catch (e) {
      if (e instanceof ValueError) throw new FormatError(`invalid word tokenizer file: ${e.message}`);
      throw e;
    }
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenize(text: string): string[] {
    return splitWords(this.lowercase ? text.toLowerCase() : text);
  }

  unknownTokens(text: string): string[] {
    return [...new Set(this.tokenize(text).filter((w) => !this.vocab.has(w)))];
  }

  encode(text: string, options: WordEncodeOptions = {}): number[] {
    const ids = this.tokenize(text).map((w) => this.vocab.id(w) ?? UNK_ID);
    if (options.addBos) ids.unshift(BOS_ID);
    if (options.addEos) ids.push(EOS_ID);
    return ids;
  }

  decode(ids: ArrayLike<number>, options: WordDecodeOptions = {}): string {
    const skip = options.skipSpecials ?? true;
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (skip && (id === PAD_ID || id === BOS_ID || id === EOS_ID)) continue;
      words.push(this.vocab.token(id));
    }
    return words.join(' ');
  }

  idToToken(id: number): string {
    return this.vocab.token(id);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.id(token);
  }

  toJSON(): WordTokenizerJSON {
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_FORMAT_VERSION,
      type: 'word',
      lowercase: this.lowercase,
      tokens: this.vocab.toArray(),
    };
  }
}
