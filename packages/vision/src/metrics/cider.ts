import { ValueError } from '@recurrent/core';
import { ngramCounts } from './ngrams.js';

export interface CiderResult {
  /** Mean CIDEr-D over the images. */
  cider: number;
  /** CIDEr-D of each candidate. */
  perImage: number[];
}

interface TfIdf {
  vec: Map<string, number>[];
  norm: number[];
  /** Length used by the Gaussian penalty: the number of bigrams, as pycocoevalcap counts it. */
  length: number;
}

/**
 * CIDEr-D (Vedantam, Zitnick and Parikh 2015, "CIDEr: Consensus-based Image Description Evaluation"), computed as
 * the COCO caption evaluation does (pycocoevalcap `CiderD`): for n = 1..4, each sentence becomes a TF-IDF vector of
 * its n-grams, g = count · (log N − log max(1, df)) with df the number of images whose references contain the n-gram
 * and N the number of images; the score for n is the cosine similarity of candidate and reference vectors with the
 * candidate's weights clipped at the reference's (min(g_c, g_r)·g_r), times the length penalty exp(−(l_c − l_r)²/2σ²),
 * σ = 6; averaged over references and over n, times 10. Document frequencies come from `references` itself, so the
 * score of a caption depends on the whole evaluation set (as in the paper).
 */
export function ciderD(
  candidates: readonly (readonly string[])[],
  references: readonly (readonly (readonly string[])[])[],
  sigma = 6,
): CiderResult {
  if (candidates.length !== references.length) {
    throw new ValueError(`ciderD: ${candidates.length} candidates for ${references.length} reference sets`);
  }
  const N = 4;
  const refCounts = references.map((refs, i) => {
    if (refs.length === 0) throw new ValueError(`ciderD: candidate ${i} has no reference`);
    return refs.map((r) => ngramCounts(r, N));
  });
  const df = new Map<string, number>();
  for (const refs of refCounts) {
    const seen = new Set<string>();
    for (const counts of refs) for (const m of counts) for (const g of m.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const logN = Math.log(candidates.length);
  const tfidf = (counts: Map<string, number>[]): TfIdf => {
    const vec = counts.map((m) => {
      const v = new Map<string, number>();
      for (const [g, k] of m) v.set(g, k * (logN - Math.log(Math.max(1, df.get(g) ?? 0))));
      return v;
    });
    const norm = vec.map((v) => Math.sqrt([...v.values()].reduce((a, x) => a + x * x, 0)));
    const length = [...counts[1]!.values()].reduce((a, k) => a + k, 0);
    return { vec, norm, length };
  };
  const similarity = (c: TfIdf, r: TfIdf): number[] => {
    const delta = c.length - r.length;
    return c.vec.map((v, n) => {
      let val = 0;
      for (const [g, w] of v) {
        const wr = r.vec[n]!.get(g) ?? 0;
        val += Math.min(w, wr) * wr;
      }
      if (c.norm[n] !== 0 && r.norm[n] !== 0) val /= c.norm[n]! * r.norm[n]!;
      return val * Math.exp(-(delta * delta) / (2 * sigma * sigma));
    });
  };
  const perImage = candidates.map((cand, i) => {
    const c = tfidf(ngramCounts(cand, N));
    const refs = refCounts[i]!;
    const total = [0, 0, 0, 0];
    for (const counts of refs) {
      similarity(c, tfidf(counts)).forEach((v, n) => {
        total[n]! += v;
      });
    }
    const meanOverN = total.reduce((a, b) => a + b, 0) / N;
    return (meanOverN / refs.length) * 10;
  });
  return { cider: perImage.reduce((a, b) => a + b, 0) / Math.max(1, perImage.length), perImage };
}
