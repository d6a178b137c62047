import { ValueError } from '@recurrent/core';

/**
 * Corpus BLEU as sacrebleu computes it (Papineni et al. 2002; sacrebleu's `corpus_bleu`): n-gram counts n = 1..4 of
 * every hypothesis clipped by their largest count in any reference, summed over the corpus; precision p_n =
 * matches_n / total_n; brevity penalty BP = exp(1 − r/c) when the hypothesis length c is below the reference length
 * r (each sentence's closest reference length, ties to the shorter); BLEU = 100 · BP · exp(Σ log p_n / 4).
 * Smoothing 'exp' (sacrebleu's default): the k-th order with zero matches gets p_n = 1 / (2^k · total_n).
 * Text is split on whitespace only (sacrebleu `tokenize='none'`): tokenise first (see tokenizeAnchor, tokenize13a).
 */

export type BleuSmoothing = 'exp' | 'none';

export interface BleuOptions {
  /** Default 'exp' (sacrebleu's corpus default). */
  smoothing?: BleuSmoothing;
  /** Default 4. */
  maxOrder?: number;
}

export interface BleuResult {
  /** 0–100. */
  score: number;
  /** Modified n-gram precisions in percent, n = 1..maxOrder (smoothed as used in the score). */
  precisions: number[];
  matches: number[];
  totals: number[];
  brevityPenalty: number;
  /** Total hypothesis length c and effective reference length r, in tokens. */
  hypothesisLength: number;
  referenceLength: number;
}

/** Python's str.split(): runs of Python whitespace separate tokens. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT_RE = new RegExp(`[${PY_SPACE}]+`, 'u');

export function splitWhitespace(text: string): string[] {
  return text.split(SPLIT_RE).filter((t) => t.length > 0);
}

function ngramCounts(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = `${n}\u0000${tokens.slice(i, i + n).join('\u0001')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * `references` holds one or more reference streams, each line-aligned with `hypotheses` (sacrebleu's layout:
 * `corpus_bleu(hyps, [refs1, refs2])`).
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: BleuOptions = {},
): BleuResult {
  const maxOrder = options.maxOrder ?? 4;
  const smoothing = options.smoothing ?? 'exp';
  if (!Number.isInteger(maxOrder) || maxOrder < 1)
    throw new ValueError(`corpusBleu: maxOrder must be a positive integer, got ${maxOrder}`);
  if (smoothing !== 'exp' && smoothing !== 'none')
    throw new ValueError(`corpusBleu: smoothing must be 'exp' or 'none', got '${String(smoothing)}'`);
  if (references.length === 0) throw new ValueError('corpusBleu: give at least one reference stream');
  references.forEach((stream, k) => {
    if (stream.length !== hypotheses.length)
      throw new ValueError(
        `corpusBleu: reference stream ${k} has ${stream.length} lines, the hypotheses ${hypotheses.length}`,
      );
  });
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let c = 0;
  let r = 0;
  hypotheses.forEach((hyp, i) => {
    const h = splitWhitespace(hyp);
    const refs = references.map((stream) => splitWhitespace(stream[i]!));
    c += h.length;
    let closest = refs[0]!.length;
    for (const ref of refs) {
      const d = Math.abs(ref.length - h.length);
      const best = Math.abs(closest - h.length);
      if (d < best || (d === best && ref.length < closest)) closest = ref.length;
    }
    r += closest;
    const maxRef = new Map<string, number>();
    for (const ref of refs)
      for (const [k, v] of ngramCounts(ref, maxOrder)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, v));
    for (const [k, v] of ngramCounts(h, maxOrder)) {
      const n = Number(k.slice(0, k.indexOf('\u0000')));
      totals[n - 1]! += v;
      matches[n - 1]! += Math.min(v, maxRef.get(k) ?? 0);
    }
  });
  const precisions = new Array<number>(maxOrder).fill(0);
  let smooth = 1;
  for (let n = 0; n < maxOrder; n++) {
    if (totals[n] === 0) break;
    if (matches[n] === 0) {
      if (smoothing === 'exp') {
        smooth *= 2;
        precisions[n] = 100 / (smooth * totals[n]!);
      }
    } else precisions[n] = (100 * matches[n]!) / totals[n]!;
  }
  const brevityPenalty = c < r ? (c > 0 ? Math.exp(1 - r / c) : 0) : 1;
  // sacrebleu's my_log: log(0) counts as −9999999999, so a zero precision gives a score of 0.
  const logSum = precisions.reduce((s, p) => s + (p === 0 ? -9999999999 : Math.log(p)), 0);
  const score = brevityPenalty * Math.exp(logSum / maxOrder);
  return { score, precisions, matches, totals, brevityPenalty, hypothesisLength: c, referenceLength: r };
}

/** Python's `\w` (str patterns): letters, numeric characters, underscore (marks are not word characters). */
const WORD = '\\p{L}\\p{N}_';
const ANCHOR_RE = new RegExp(`[${WORD}]+|[^${WORD}${PY_SPACE}]`, 'gu');

/**
 * The tokenisation of the PyTorch anchors (`pytorch-training-anchors.json` mt_S/mt_M): lowercase, then
 * `re.findall(r"\w+|[^\w\s]", text)` with Python's Unicode-aware classes; tokens joined by single spaces.
 */
export function tokenizeAnchor(text: string): string {
  return (text.toLowerCase().match(ANCHOR_RE) ?? []).join(' ');
}

/**
 * sacrebleu's default '13a' tokenizer (mteval-v13a): unescape a few XML entities, split off punctuation and symbols,
 * periods and commas unless next to a digit, and a dash after a digit; collapse whitespace.
 */
export function tokenize13a(text: string): string {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&'))
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  line = ` ${line} `;
  line = line.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  line = line.replace(/([^0-9])([.,])/g, '$1 $2 ');
  line = line.replace(/([.,])([^0-9])/g, ' $1 $2');
  line = line.replace(/([0-9])(-)/g, '$1 $2 ');
  return splitWhitespace(line).join(' ');
}
