import type { SequenceDecodeOptions, Hypothesis, LogProbs, SelectStateFn } from './types.js';
import { attentionRow, checkSequenceDecodeOptions, vocabSize } from './types.js';

export interface TokenwiseOptions<S> extends SequenceDecodeOptions<S> {
  /** Sequences decoded side by side; `initialState` holds this many rows (default 1). */
  batchSize?: number;
  /** When given, finished sequences are dropped from the state so later steps only run live rows. */
  selectState?: SelectStateFn<S>;
}

/**
 * The loop shared by greedy decoding and sampling: every step, `choose` picks one token per live row
 * from that row's log-probabilities; a row stops at eos or after maxLength tokens.
 */
export function decodeTokenwise<S>(
  what: string,
  o: TokenwiseOptions<S>,
  choose: (row: LogProbs) => number,
): Hypothesis[] {
  const batch = o.batchSize ?? 1;
  checkSequenceDecodeOptions(what, o, batch);
  const hyps: Hypothesis[] = Array.from({ length: batch }, () => ({
    tokens: [],
    logProb: 0,
    score: 0,
    finished: false,
  }));
  // rowOf[r] = batch item decoded in state row r; -1 once that item is finished (only without selectState).
  let rowOf = Int32Array.from({ length: batch }, (_, i) => i);
  let tokens = new Int32Array(batch).fill(o.bos);
  let state = o.initialState;
  let live = batch;
  for (let t = 0; t < o.maxLength && live > 0; t++) {
    const out = o.step(tokens, state);
    state = out.state;
    const rows = rowOf.length;
    const V = vocabSize(what, out, rows, o.eos);
    const keep: number[] = [];
    const next = new Int32Array(rows).fill(o.eos);
    for (let r = 0; r < rows; r++) {
      const b = rowOf[r]!;
      if (b < 0) continue;
      const row = out.logProbs.subarray(r * V, (r + 1) * V);
      const w = choose(row);
      const h = hyps[b]!;
      h.logProb += row[w]!;
      if (out.attention) {
        h.attention ??= [];
        h.attention.push(attentionRow(out.attention, rows, r));
      }
      next[r] = w;
      if (w === o.eos) {
        h.finished = true;
        rowOf[r] = -1;
        live--;
      } else {
        h.tokens.push(w);
        keep.push(r);
      }
    }
    if (live > 0 && o.selectState && keep.length < rows) {
      const idx = Int32Array.from(keep);
      state = o.selectState(state, idx);
      rowOf = Int32Array.from(keep, (r) => rowOf[r]!);
      tokens = Int32Array.from(keep, (r) => next[r]!);
    } else {
      tokens = next;
    }
  }
  for (const h of hyps) h.score = h.logProb;
  return hyps;
}
