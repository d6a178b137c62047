import { describeValue, ValueError } from '@recurrent/core';
import { sceneVocabulary } from '../scenes/generate.js';

export const PAD = '<pad>';
export const BOS = '<bos>';
export const EOS = '<eos>';
export const UNK = '<unk>';

/** Caption words ↔ ids: ids 0–3 are <pad>, <bos>, <eos>, <unk>, then the words in the order given. */
export class CaptionVocabulary {
  readonly words: readonly string[];
  private readonly ids: Map<string, number>;
  readonly pad = 0;
  readonly bos = 1;
  readonly eos = 2;
  readonly unk = 3;

  constructor(words: readonly string[]) {
    const all = [PAD, BOS, EOS, UNK, ...words];
    this.ids = new Map();
    all.forEach((w, i) => {
      if (this.ids.has(w)) throw new ValueError(`CaptionVocabulary: the word ${describeValue(w)} is listed twice`);
      this.ids.set(w, i);
    });
    this.words = all;
  }

  get size(): number {
    return this.words.length;
  }

  id(word: string): number {
    return this.ids.get(word) ?? this.unk;
  }

  word(id: number): string {
    const w = this.words[id];
    if (w === undefined) throw new ValueError(`CaptionVocabulary: id ${id} is outside 0..${this.size - 1}`);
    return w;
  }

  /** Words → ids, without <bos>/<eos>. */
  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  decode(ids: readonly number[]): string[] {
    return ids.map((i) => this.word(i));
  }

  /**
   * Teacher-forcing rows for a batch of captions (word lists): inputs [<bos>, w1..wn] and targets [w1..wn, <eos>],
   * padded with <pad> to the longest caption.
   */
  teacherForcing(captions: readonly (readonly string[])[]): { inputs: number[][]; targets: number[][] } {
    const T = Math.max(...captions.map((c) => c.length)) + 1;
    const inputs: number[][] = [];
    const targets: number[][] = [];
    for (const c of captions) {
      const ids = this.encode(c);
      const pad = new Array<number>(T - ids.length - 1).fill(this.pad);
      inputs.push([this.bos, ...ids, ...pad]);
      targets.push([...ids, this.eos, ...pad]);
    }
    return { inputs, targets };
  }

  toJSON(): { words: string[] } {
    return { words: this.words.slice(4) };
  }
}

/** The fixed vocabulary of scene captions. */
export function sceneCaptionVocabulary(): CaptionVocabulary {
  return new CaptionVocabulary(sceneVocabulary());
}
