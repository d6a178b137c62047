import { describeValue, FormatError, ValueError } from '@recurrent/core';
import {
  checkHeader,
  enumField,
  stringArray,
  TOKENIZER_FORMAT,
  TOKENIZER_FORMAT_VERSION,
  type TokenizerJSONBase,
} from './format.js';
import { compareCodePoints, describeChar, type Tokenizer } from './tokenizer.js';
import { UNK } from './vocabulary.js';

/** What to do with a character that is not in the vocabulary. */
export type UnknownCharPolicy = 'error' | 'unk';

export interface CharTokenizerOptions {
  /**
   * 'error' (default): encode throws ValueError on an unseen character, and the vocabulary is exactly the training
   * characters (65 for tinyshakespeare, as in char-rnn). 'unk': one extra id, `<unk>` = the last id, stands for
   * every unseen character; decode renders it as U+FFFD.
   */
  unknown?: UnknownCharPolicy;
}

export interface CharTokenizerJSON extends TokenizerJSONBase {
  type: 'char';
  /** 'unk' adds `<unk>` at id tokens.length. */
  unknown: UnknownCharPolicy;
}

/**
 * Character-level tokenizer. Characters are Unicode code points (an emoji is one character, not two UTF-16
 * halves); the vocabulary built from text is the sorted set of its characters, by code point, like char-rnn.
 */
export class CharTokenizer implements Tokenizer {
  readonly type = 'char' as const;
  readonly unknown: UnknownCharPolicy;
  private readonly chars: readonly string[];
  private readonly ids: Map<string, number>;

  /** A tokenizer over exactly these characters, in this id order. */
  constructor(chars: readonly string[], options: CharTokenizerOptions = {}) {
    const unknown = options.unknown ?? 'error';
    if (unknown !== 'error' && unknown !== 'unk')
      throw new ValueError(`CharTokenizer: unknown must be "error" or "unk", got ${describeValue(unknown)}`);
    this.unknown = unknown;
    this.chars = [...chars];
    this.ids = new Map();
    this.chars.forEach((c, i) => {
      if (typeof c !== 'string' || [...c].length !== 1)
        throw new ValueError(`CharTokenizer: entry ${i} must be a single character, got ${describeValue(c)}`);
      if (this.ids.has(c))
        throw new ValueError(
          `CharTokenizer: duplicate character ${describeChar(c)} at ids ${this.ids.get(c)} and ${i}`,
        );
      this.ids.set(c, i);
    });
    if (this.chars.length === 0) throw new ValueError('CharTokenizer: the vocabulary is empty');
  }

  /** Build the vocabulary from training text: its distinct characters sorted by code point. */
  static fromText(text: string | Iterable<string>, options: CharTokenizerOptions = {}): CharTokenizer {
    const seen = new Set<string>();
    for (const part of typeof text === 'string' ? [text] : text) for (const ch of part) seen.add(ch);
    if (seen.size === 0) throw new ValueError('CharTokenizer.fromText: the training text is empty');
    return new CharTokenizer([...seen].sort(compareCodePoints), options);
  }

  /** Load from the JSON written by toJSON; FormatError when it is malformed. */
  static fromJSON(json: unknown): CharTokenizer {
    const o = checkHeader(json, 'char');
    const tokens = stringArray(o, 'tokens');
    const unknown = enumField(o, 'unknown', ['error', 'unk'] as const);
    try {
      return new CharTokenizer(tokens, { unknown });
    } catch (e) {
      if (e instanceof ValueError) throw new FormatError(`invalid char tokenizer file: ${e.message}`);
      throw e;
    }
  }

  get vocabSize(): number {
    return this.chars.length + (this.unknown === 'unk' ? 1 : 0);
  }

  get padId(): null {
    return null;
  }

  get unkId(): number | null {
    return this.unknown === 'unk' ? this.chars.length : null;
  }

  /** The characters of the vocabulary in id order (without `<unk>`). */
  get alphabet(): string[] {
    return [...this.chars];
  }

  tokenize(text: string): string[] {
    return [...text];
  }

  unknownTokens(text: string): string[] {
    const unknown = new Set<string>();
    for (const ch of text) if (!this.ids.has(ch)) unknown.add(ch);
    return [...unknown];
  }

  encode(text: string): number[] {
    const out: number[] = [];
    let pos = 0;
    for (const ch of text) {
      const id = this.ids.get(ch);
      if (id !== undefined) out.push(id);
      else if (this.unknown === 'unk') out.push(this.chars.length);
      else
        throw new ValueError(
          `character ${describeChar(ch)} at position ${pos} is not in the vocabulary of ${this.chars.length} ` +
            `characters`,
        );
      pos += ch.length;
    }
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.idToToken(ids[i]!, '\uFFFD');
    return s;
  }

  idToToken(id: number, unkText: string = UNK): string {
    if (Number.isInteger(id) && id >= 0 && id < this.chars.length) return this.chars[id]!;
    if (this.unknown === 'unk' && id === this.chars.length) return unkText;
    throw new ValueError(`token id ${id} is outside the character vocabulary (0..${this.vocabSize - 1})`);
  }

  tokenToId(token: string): number | undefined {
    if (this.unknown === 'unk' && token === UNK) return this.chars.length;
    return this.ids.get(token);
  }

  toJSON(): CharTokenizerJSON {
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_FORMAT_VERSION,
      type: 'char',
      unknown: this.unknown,
      tokens: [...this.chars],
    };
  }
}
