// What the page draws for one translated sentence, in words or in subword pieces: the labels of both sides, the
// target × source attention matrix and each target unit's probability. Pure, unit-tested.
import type { SentenceTranslation } from './protocol';
import { showPiece, wordAttention, wordGroups, wordProbabilities, wordTexts } from './words';

export interface AlignmentView {
  /** Source words (or pieces), the heatmap's columns. */
  source: string[];
  /** Target words (or pieces), the heatmap's rows. */
  target: string[];
  /** attention[target][source]; each row sums to 1. The closing eos's row is left out. */
  attention: number[][];
  /** Probability of each target word (product of its pieces') or piece. */
  probabilities: number[];
}

export function alignmentView(t: SentenceTranslation, { pieces }: { pieces: boolean }): AlignmentView {
  const rows = t.attention.slice(0, t.tokens.length);
  if (pieces) {
    return {
      source: t.sourceTokens.map(showPiece),
      target: t.tokens.map(showPiece),
      attention: rows,
      probabilities: t.tokenProbabilities.slice(0, t.tokens.length),
    };
  }
  const sourceGroups = wordGroups(t.sourceTokens);
  const targetGroups = wordGroups(t.tokens);
  return {
    source: wordTexts(t.sourceTokens, sourceGroups),
    target: wordTexts(t.tokens, targetGroups),
    attention: wordAttention(rows, targetGroups, sourceGroups),
    probabilities: wordProbabilities(t.tokenProbabilities, targetGroups),
  };
}

/** The word (or piece) under the pointer: on which side, at which position. */
export interface Focus {
  side: 'source' | 'target';
  index: number;
}

/** Attention between the focused word and each word of the other side, scaled to the largest (0–1). */
export function linkWeights(
  attention: readonly (readonly number[])[],
  focus: Focus | null,
  side: Focus['side'],
): number[] | null {
  if (!focus || focus.side === side) return null;
  const weights =
    focus.side === 'target' ? [...(attention[focus.index] ?? [])] : attention.map((row) => row[focus.index] ?? 0);
  const max = Math.max(...weights, 1e-12);
  return weights.map((w) => w / max);
}
