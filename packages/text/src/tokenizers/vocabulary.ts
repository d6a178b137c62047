import { describeValue, ValueError } from '@recurrent/core';

/** The special tokens shared by the word and BPE tokenizers, at these fixed ids. */
export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<s>';
export const EOS = '</s>';
export const SPECIAL_TOKENS: readonly string[] = [PAD, UNK, BOS, EOS];
export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;
export const EOS_ID = 3;

/** A bijection between token strings and ids 0..size-1. */
export class Vocabulary {
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  /** Throws ValueError on duplicate or non-string tokens (loaders turn it into a FormatError). */
  constructor(tokens: readonly string[]) {
    this.tokens = [...tokens];
    this.ids = new Map();
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (typeof t !== 'string') throw new ValueError(`vocabulary entry ${i} must be a string, got ${typeof t}`);
      if (this.ids.has(t))
        throw new ValueError(`vocabulary has a duplicate token ${describeValue(t)} at ids ${this.ids.get(t)} and ${i}`);
      this.ids.set(t, i);
    }
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, or undefined when it is not in the vocabulary. */
  id(token: string): number | undefined {
    return this.ids.get(token);
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The token string of an id; ValueError for an id outside 0..size-1. */
  token(id: number): string {
    const t = Number.isInteger(id) ? this.tokens[id] : undefined;
    if (t === undefined)
      throw new ValueError(`token id ${id} is outside the vocabulary (0..${this.tokens.length - 1})`);
    return t;
  }

  /** All tokens in id order (a copy). */
  toArray(): string[] {
    return [...this.tokens];
  }
}

/** Count how often each item occurs. */
export function countItems(items: Iterable<string>, counts: Map<string, number> = new Map()): Map<string, number> {
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/**
 * Order counted tokens for a vocabulary: most frequent first, ties by code-unit order of the token, so the
 * result does not depend on the order the text was read in.
 */
export function rankByFrequency(counts: ReadonlyMap<string, number>, minFreq = 1): string[] {
  const kept: [string, number][] = [];
  for (const [token, count] of counts) if (count >= minFreq) kept.push([token, count]);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return kept.map(([t]) => t);
}
