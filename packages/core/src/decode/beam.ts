import type { SequenceDecodeOptions, Hypothesis, SelectStateFn } from './types.js';
import { attentionRow, checkSequenceDecodeOptions, checkPositiveInt, vocabSize } from './types.js';
import { ValueError } from '../errors.js';

/**
 * How a finished hypothesis's log-probability is normalised by its length before ranking:
 * 'gnmt' divides by ((5 + len) / 6)^α (Wu et al. 2016, OpenNMT), 'power' by len^α (fairseq).
 * len counts the generated tokens including the eos. α = 0 ranks by the raw log-probability.
 */
export type LengthNormalization = 'gnmt' | 'power';

export interface BeamSearchOptions<S> extends SequenceDecodeOptions<S> {
  selectState: SelectStateFn<S>;
  beamSize: number;
  /** α of the length penalty (default 0: no normalisation). Larger α favours longer outputs. */
  lengthPenalty?: number;
  lengthNormalization?: LengthNormalization;
  /** How many hypotheses to return per sequence, best first (default beamSize, at most beamSize). */
  nBest?: number;
  /**
   * true (default, as fairseq): a sequence is done once beamSize hypotheses have ended.
   * false: keep searching while a live hypothesis could still beat the n-best, bounding its final
   * score by its current log-probability (which can only fall) and the largest possible length penalty.
   */
  earlyStopping?: boolean;
}

export interface BeamSearchBatchOptions<S> extends BeamSearchOptions<S> {
  /** Sequences searched side by side; `initialState` holds this many rows (default 1). */
  batchSize?: number;
}

/** The length penalty lp(len) the log-probability is divided by. */
export function lengthPenaltyOf(length: number, alpha: number, kind: LengthNormalization = 'gnmt'): number {
  if (alpha === 0) return 1;
  return kind === 'gnmt' ? ((5 + length) / 6) ** alpha : length ** alpha;
}

interface Beam {
  tokens: number[];
  logProb: number;
  attention: Float64Array[] | null;
  /** Row of the current state holding this hypothesis. */
  row: number;
}

interface Search {
  alive: Beam[];
  finished: Hypothesis[];
  done: boolean;
}

/**
 * Beam search over `batchSize` sequences side by side. Every step each sequence expands its live
 * hypotheses, keeps the 2·beamSize best continuations by cumulative log-probability, ends those
 * among the best beamSize that produce eos, and continues the beamSize best others. Hypotheses
 * still live at maxLength end unfinished. Returns for each sequence the nBest hypotheses ordered by
 * score = logProb / lp(len) (see LengthNormalization); logProb is the exact sum of the step log-probs.
 * The state only ever holds live rows: `selectState` reorders, duplicates and drops them.
 */
export function beamSearchBatch<S>(o: BeamSearchBatchOptions<S>): Hypothesis[][] {
  const what = 'beamSearch';
  const batch = o.batchSize ?? 1;
  checkSequenceDecodeOptions(what, o, batch);
  if (typeof o.selectState !== 'function') throw new ValueError(`${what}: selectState must be a function`);
  checkPositiveInt(`${what}: beamSize`, o.beamSize);
  const K = o.beamSize;
  const nBest = o.nBest ?? K;
  if (!Number.isInteger(nBest) || nBest < 1 || nBest > K)
    throw new ValueError(`${what}: nBest must be an integer in [1, beamSize=${K}], got ${nBest}`);
  const alpha = o.lengthPenalty ?? 0;
  if (!Number.isFinite(alpha)) throw new ValueError(`${what}: lengthPenalty must be a finite number, got ${alpha}`);
  const kind = o.lengthNormalization ?? 'gnmt';
  if (kind !== 'gnmt' && kind !== 'power')
    throw new ValueError(`${what}: lengthNormalization must be 'gnmt' or 'power', got '${String(kind)}'`);
  const earlyStopping = o.earlyStopping ?? true;
  const lp = (len: number): number => lengthPenaltyOf(len, alpha, kind);

  const searches: Search[] = Array.from({ length: batch }, (_, b) => ({
    alive: [{ tokens: [], logProb: 0, attention: null, row: b }],
    finished: [],
    done: false,
  }));
  let state = o.initialState;
  let tokens = new Int32Array(batch).fill(o.bos);
  const M = 2 * K;
  const candScore = new Float64Array(M);
  const candBeam = new Int32Array(M);
  const candToken = new Int32Array(M);

  for (let t = 0; t < o.maxLength; t++) {
    const out = o.step(tokens, state);
    const rows = tokens.length;
    const V = vocabSize(what, out, rows, o.eos);
    const logProbs = out.logProbs;
    const last = t === o.maxLength - 1;
    const parents: number[] = [];
    const nextTokens: number[] = [];
    for (const search of searches) {
      if (search.done) continue;
      // The M best (beam, token) continuations by cumulative log-prob, kept sorted best first.
      let n = 0;
      search.alive.forEach((beam, bi) => {
        const base = beam.row * V;
        for (let w = 0; w < V; w++) {
          const x = logProbs[base + w]!;
          if (Number.isNaN(x)) throw new ValueError(`${what}: step returned NaN (row ${beam.row}, token ${w})`);
          const s = beam.logProb + x;
          if (s === -Infinity || (n === M && !(s > candScore[M - 1]!))) continue;
          let j = n < M ? n++ : M - 1;
          while (j > 0 && candScore[j - 1]! < s) {
            candScore[j] = candScore[j - 1]!;
            candBeam[j] = candBeam[j - 1]!;
            candToken[j] = candToken[j - 1]!;
            j--;
          }
          candScore[j] = s;
          candBeam[j] = bi;
          candToken[j] = w;
        }
      });
      const alive: Beam[] = [];
      for (let j = 0; j < n && alive.length < K; j++) {
        const parent = search.alive[candBeam[j]!]!;
        const w = candToken[j]!;
        const attention = out.attention
          ? [...(parent.attention ?? []), attentionRow(out.attention, rows, parent.row)]
          : null;
        if (w === o.eos) {
          // As in fairseq, only an eos ranked among the best beamSize candidates ends a hypothesis.
          if (j < K) search.finished.push(finish(parent.tokens, candScore[j]!, true, attention, lp));
          continue;
        }
        const beam: Beam = { tokens: [...parent.tokens, w], logProb: candScore[j]!, attention, row: parent.row };
        if (last) search.finished.push(finish(beam.tokens, beam.logProb, false, attention, lp));
        else alive.push(beam);
      }
      search.alive = alive;
      const stop = { beamSize: K, nBest, earlyStopping, alpha, lengthPenalty: lp, step: t, maxLength: o.maxLength };
      search.done = last || alive.length === 0 || isDone(search, stop);
      if (search.done) continue;
      for (const beam of alive) {
        parents.push(beam.row);
        beam.row = nextTokens.length;
        nextTokens.push(beam.tokens[beam.tokens.length - 1]!);
      }
    }
    if (nextTokens.length === 0) break;
    state = o.selectState(out.state, Int32Array.from(parents));
    tokens = Int32Array.from(nextTokens);
  }
  return searches.map((s) => s.finished.sort((a, b) => b.score - a.score).slice(0, nBest));
}

function finish(
  tokens: number[],
  logProb: number,
  finished: boolean,
  attention: Float64Array[] | null,
  lp: (len: number) => number,
): Hypothesis {
  const length = tokens.length + (finished ? 1 : 0);
  const h: Hypothesis = { tokens, logProb, score: logProb / lp(length), finished };
  if (attention) h.attention = attention;
  return h;
}

/** When a sequence's search may stop, after decoding step `step`. */
interface StopRule {
  beamSize: number;
  nBest: number;
  earlyStopping: boolean;
  alpha: number;
  lengthPenalty: (len: number) => number;
  step: number;
  maxLength: number;
}

function isDone(search: Search, rule: StopRule): boolean {
  const { beamSize: K, nBest, earlyStopping, alpha, lengthPenalty: lp, step: t, maxLength } = rule;
  if (earlyStopping) return search.finished.length >= K;
  if (search.finished.length < nBest) return false;
  const scores = search.finished.map((h) => h.score).sort((a, b) => b - a);
  const worstKept = scores[nBest - 1]!;
  // A live hypothesis has t + 1 tokens and ends with length in [t + 2, maxLength] (or t+1..maxLength
  // when cut); its log-prob only falls, so its best possible score uses the largest lp (log-probs are ≤ 0).
  const bestLp = alpha >= 0 ? lp(maxLength) : lp(t + 2);
  return search.alive.every((b) => b.logProb / bestLp <= worstKept);
}

/** Beam search for one sequence (`initialState` has one row): the nBest hypotheses, best first. */
export function beamSearch<S>(options: BeamSearchOptions<S>): Hypothesis[] {
  return beamSearchBatch({ ...options, batchSize: 1 })[0]!;
}
