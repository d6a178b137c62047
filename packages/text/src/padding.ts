import { ValueError } from '@recurrent/core';

/** Which end loses tokens when a sequence is longer than maxLen. */
export type Truncation = 'end' | 'start';

export interface PadOptions {
  /** Id written into padding positions (default 0 = `<pad>` of the word and BPE tokenizers). */
  padId?: number;
  /** Cut longer sequences to this many tokens. */
  maxLen?: number;
  /** 'end' (default) keeps the first maxLen tokens, 'start' keeps the last maxLen. */
  truncation?: Truncation;
}

/** Right-padded sequences, row-major [batchSize, seqLen] (seqLen = the longest kept length). */
export interface PaddedBatch {
  ids: Int32Array;
  /** 1 at real tokens, 0 at padding; same layout as ids (ready to become a float32 tensor). */
  mask: Float32Array;
  /** Kept length of each row (padding excluded). */
  lengths: number[];
  batchSize: number;
  seqLen: number;
}

/** Pad (and optionally truncate) sequences into one batch. Empty sequences are a ValueError (RNNs need ≥ 1 step). */
export function padSequences(seqs: readonly ArrayLike<number>[], options: PadOptions = {}): PaddedBatch {
  const padId = options.padId ?? 0;
  if (!Number.isInteger(padId)) throw new ValueError(`padId must be an integer, got ${padId}`);
  const maxLen = options.maxLen ?? Infinity;
  if (maxLen !== Infinity && (!Number.isInteger(maxLen) || maxLen < 1))
    throw new ValueError(`maxLen must be a positive integer, got ${maxLen}`);
  const truncation = options.truncation ?? 'end';
  if (truncation !== 'end' && truncation !== 'start')
    throw new ValueError(`truncation must be "end" or "start", got ${JSON.stringify(truncation)}`);
  if (seqs.length === 0) throw new ValueError('padSequences: no sequences');

  const lengths = seqs.map((s, i) => {
    if (s.length === 0) throw new ValueError(`sequence ${i} is empty; drop or replace empty texts before batching`);
    return Math.min(s.length, maxLen);
  });
  const batchSize = seqs.length;
  const seqLen = Math.max(...lengths);
  const ids = new Int32Array(batchSize * seqLen).fill(padId);
  const mask = new Float32Array(batchSize * seqLen);
  for (let b = 0; b < batchSize; b++) {
    const s = seqs[b]!;
    const len = lengths[b]!;
    const from = truncation === 'end' ? 0 : s.length - len;
    for (let t = 0; t < len; t++) {
      const id = s[from + t]!;
      if (!Number.isInteger(id) || id < 0)
        throw new ValueError(`sequence ${b} has an invalid token id ${id} at position ${from + t}`);
      ids[b * seqLen + t] = id;
      mask[b * seqLen + t] = 1;
    }
  }
  return { ids, mask, lengths, batchSize, seqLen };
}
