import { ValueError } from '@recurrent/core';
import { splitWhitespace } from './bleu.js';

/**
 * chrF (Popović 2015) as sacrebleu's CHRF computes it with its defaults (chrF2): character n-grams n = 1..6 of each
 * sentence with (Python) whitespace removed; per order, hypothesis/reference/matched n-gram counts summed over the
 * corpus
 * (each sentence uses the reference that gives it the best sentence score); the average precision P and recall R
 * over the orders that have n-grams on both sides; chrF = 100 · (1 + β²) P R / (β² P + R), β = 2.
 */
export interface ChrfOptions {
  /** Character n-gram order (default 6). */
  charOrder?: number;
  /** Recall weight β (default 2). */
  beta?: number;
}

function charNgrams(text: string, n: number): Map<string, number> {
  const chars = Array.from(splitWhitespace(text).join(''));
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

function fScore(stats: readonly number[], order: number, beta: number): number {
  const factor = beta * beta;
  let p = 0;
  let r = 0;
  let effective = 0;
  for (let i = 0; i < order; i++) {
    const [hyp, ref, match] = [stats[3 * i]!, stats[3 * i + 1]!, stats[3 * i + 2]!];
    if (hyp > 0 && ref > 0) {
      p += match / hyp;
      r += match / ref;
      effective++;
    }
  }
  if (effective === 0) return 0;
  p /= effective;
  r /= effective;
  return p + r > 0 ? (100 * (1 + factor) * p * r) / (factor * p + r) : 0;
}

export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: ChrfOptions = {},
): number {
  const order = options.charOrder ?? 6;
  const beta = options.beta ?? 2;
  if (!Number.isInteger(order) || order < 1)
    throw new ValueError(`corpusChrf: charOrder must be a positive integer, got ${order}`);
  if (!(beta > 0)) throw new ValueError(`corpusChrf: beta must be > 0, got ${beta}`);
  if (references.length === 0) throw new ValueError('corpusChrf: give at least one reference stream');
  references.forEach((stream, k) => {
    if (stream.length !== hypotheses.length)
      throw new ValueError(
        `corpusChrf: reference stream ${k} has ${stream.length} lines, the hypotheses ${hypotheses.length}`,
      );
  });
  const total = new Array<number>(3 * order).fill(0);
  hypotheses.forEach((hyp, i) => {
    const hypGrams = Array.from({ length: order }, (_, n) => charNgrams(hyp, n + 1));
    let best: number[] = [];
    let bestScore = -1;
    for (const stream of references) {
      const stats: number[] = [];
      for (let n = 0; n < order; n++) {
        const refGrams = charNgrams(stream[i]!, n + 1);
        let h = 0;
        let r = 0;
        let m = 0;
        for (const v of hypGrams[n]!.values()) h += v;
        for (const [g, v] of refGrams) {
          r += v;
          m += Math.min(v, hypGrams[n]!.get(g) ?? 0);
        }
        stats.push(h, r, m);
      }
      const f = fScore(stats, order, beta);
      if (f > bestScore) {
        bestScore = f;
        best = stats;
      }
    }
    best.forEach((v, k) => {
      total[k]! += v;
    });
  });
  return fScore(total, order, beta);
}
