import { ValueError } from '@recurrent/core';
import { ngramCounts } from './ngrams.js';

export interface BleuResult {
  /** BLEU-1 … BLEU-4, cumulative: BLEU-n is the geometric mean of the 1..n-gram precisions × the brevity penalty. */
  bleu: [number, number, number, number];
  /** Clipped n-gram precisions p_1 … p_4 over the corpus. */
  precisions: [number, number, number, number];
  brevityPenalty: number;
  /** Candidate length / effective reference length. */
  ratio: number;
}

/**
 * Corpus BLEU (Papineni et al. 2002) as the COCO caption evaluation computes it (pycocoevalcap `Bleu(4)`): n-gram
 * counts clipped by their maximum count in any one reference, summed over the corpus; the effective reference length
 * of each candidate is the reference length closest to it (the shorter on a tie); the brevity penalty is
 * exp(1 − r/c) when c < r; and the same tiny constants (1e-15 over 1e-9) keep an empty precision from giving log 0.
 * `candidates[i]` is scored against `references[i]` (one or more token lists).
 */
export function corpusBleu(
  candidates: readonly (readonly string[])[],
  references: readonly (readonly (readonly string[])[])[],
): BleuResult {
  if (candidates.length !== references.length) {
    throw new ValueError(`corpusBleu: ${candidates.length} candidates for ${references.length} reference sets`);
  }
  const correct = [0, 0, 0, 0];
  const guessed = [0, 0, 0, 0];
  let candidateLength = 0;
  let referenceLength = 0;
  candidates.forEach((cand, i) => {
    const refs = references[i]!;
    if (refs.length === 0) throw new ValueError(`corpusBleu: candidate ${i} has no reference`);
    const c = ngramCounts(cand, 4);
    const maxRef = [
      new Map<string, number>(),
      new Map<string, number>(),
      new Map<string, number>(),
      new Map<string, number>(),
    ];
    for (const ref of refs) {
      ngramCounts(ref, 4).forEach((m, n) => {
        for (const [g, k] of m) maxRef[n]!.set(g, Math.max(maxRef[n]!.get(g) ?? 0, k));
      });
    }
    c.forEach((m, n) => {
      for (const [g, k] of m) correct[n]! += Math.min(k, maxRef[n]!.get(g) ?? 0);
      guessed[n]! += Math.max(0, cand.length - n);
    });
    candidateLength += cand.length;
    let closest = refs[0]!.length;
    for (const ref of refs) {
      const d = Math.abs(ref.length - cand.length);
      const best = Math.abs(closest - cand.length);
      if (d < best || (d === best && ref.length < closest)) closest = ref.length;
    }
    referenceLength += closest;
  });
  const tiny = 1e-15;
  const small = 1e-9;
  const precisions = correct.map((k, n) => (k + tiny) / (guessed[n]! + small)) as BleuResult['precisions'];
  const ratio = (candidateLength + tiny) / (referenceLength + small);
  const brevityPenalty = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
  let product = 1;
  const bleu = precisions.map((p, n) => {
    product *= p;
    return product ** (1 / (n + 1)) * brevityPenalty;
  }) as BleuResult['bleu'];
  return { bleu, precisions, brevityPenalty, ratio };
}
