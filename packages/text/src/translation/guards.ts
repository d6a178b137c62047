import { ValueError, type LogProbs, type SelectStateFn, type StepFn } from '@recurrent/core';

/** Decoding state with what the guards need: each row's generated tokens and the source sentence it belongs to. */
export interface GuardedState<S> {
  inner: S;
  /** Tokens generated so far by each row (bos excluded). */
  history: number[][];
  /** Source sentence (batch item) of each row. */
  sentence: Int32Array;
  /** Log-probability of each generated token of each row (only with `onTokenLogProbs`). */
  tokenLogProbs: number[][] | null;
  /** The last step's log-probabilities, rows aligned with this state's rows (only with `onTokenLogProbs`). */
  lastLogProbs: LogProbs | null;
}

export interface GuardOptions {
  /** Forbid any n-gram of this many tokens from occurring twice in a hypothesis (0 = off), as fairseq's. */
  noRepeatNgram: number;
  /**
   * Number copying: ids of the single-digit tokens and, per source sentence, its numbers as digit-id runs. A digit
   * may only extend the current run to a prefix of a source number, and a run may only end once it spells one
   * exactly, so every number in the output is a number of the source, digit for digit. null = off.
   */
  numbers: { digitIds: ReadonlySet<number>; sourceNumbers: readonly (readonly (readonly number[])[])[] } | null;
  bos: number;
  eos: number;
  /**
   * Most tokens (eos included) per source sentence: a row that reaches its bound must emit eos, so a sentence gets
   * the same result in a batch (searched to the batch's largest bound) as alone.
   */
  maxLengths: readonly number[];
  /** Ids never generated (`<pad>`, `<s>`, `<unk>`: not text). */
  banned: readonly number[];
  /**
   * Called after every step with each row's sentence and the log-probabilities of its generated tokens so far (the
   * model's, before masking: a chosen token is never masked). For decoders with one row per sentence (greedy,
   * sampling) the last call for a sentence has every token but the closing eos. Costs a copy of the step's output.
   */
  onTokenLogProbs?: (sentence: number, logProbs: readonly number[]) => void;
}

/** Trailing run of digit tokens of a history. */
function trailingRun(history: readonly number[], digits: ReadonlySet<number>): number[] {
  let i = history.length;
  while (i > 0 && digits.has(history[i - 1]!)) i--;
  return history.slice(i);
}

function startsWith(a: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > a.length) return false;
  for (let i = 0; i < prefix.length; i++) if (a[i] !== prefix[i]) return false;
  return true;
}

/** Mask (set to −∞) the tokens the guards forbid for one row's log-probabilities. */
function maskRow(
  row: Float32Array | Float64Array,
  history: readonly number[],
  sentence: number,
  o: GuardOptions,
): void {
  const eosValue = row[o.eos]!;
  for (const id of o.banned) row[id] = -Infinity;
  if (history.length + 1 >= (o.maxLengths[sentence] ?? Infinity)) {
    const eos = row[o.eos]!;
    row.fill(-Infinity);
    row[o.eos] = eos;
    return;
  }
  const digits = o.numbers ? numberConstraint(history, sentence, o.numbers) : null;
  // Inside a number being copied only its next digits may follow: they win over the repeat block (a source "1111").
  const forced = digits !== null && !digits.mayEndRun ? digits.allowed : null;
  const n = o.noRepeatNgram;
  if (n > 0 && history.length >= n - 1) {
    const tail = history.slice(history.length - (n - 1));
    for (let i = 0; i + n - 1 < history.length; i++) {
      let same = true;
      for (let j = 0; j < n - 1 && same; j++) same = history[i + j] === tail[j];
      if (same) {
        const banned = history[i + n - 1]!;
        if (banned !== o.eos && !forced?.has(banned)) row[banned] = -Infinity;
      }
    }
  }
  if (digits !== null && o.numbers) {
    if (forced === null) {
      // Only digits can be forbidden: visit them, not the whole vocabulary.
      for (const w of o.numbers.digitIds) if (!digits.allowed.has(w)) row[w] = -Infinity;
    } else {
      for (let w = 0; w < row.length; w++) if (!forced.has(w)) row[w] = -Infinity;
    }
  }
  // Never leave a row with no possible token (a banned forced digit, say): the sentence may always end.
  if (!row.some((x) => x > -Infinity)) row[o.eos] = eosValue;
}

/** Which digit tokens may come next for the number guard, and whether the current digit run may end here. */
function numberConstraint(
  history: readonly number[],
  sentence: number,
  numbers: NonNullable<GuardOptions['numbers']>,
): { allowed: Set<number>; mayEndRun: boolean } {
  const run = trailingRun(history, numbers.digitIds);
  const allowed = new Set<number>();
  let mayEndRun = run.length === 0;
  for (const num of numbers.sourceNumbers[sentence] ?? []) {
    if (!startsWith(num, run)) continue;
    if (num.length === run.length) mayEndRun = true;
    else allowed.add(num[run.length]!);
  }
  return { allowed, mayEndRun };
}

/**
 * Wrap a decoder's step and selectState with the repeat and number guards. The wrapped state carries each row's
 * history (for n-gram blocking) and its source sentence; blocked tokens get log-probability −∞ (not renormalised,
 * as in fairseq), so search, greedy and sampling all respect them.
 */
export function guardDecoding<S>(
  step: StepFn<S>,
  selectState: SelectStateFn<S>,
  initialState: S,
  batch: number,
  o: GuardOptions,
): {
  step: StepFn<GuardedState<S>>;
  selectState: SelectStateFn<GuardedState<S>>;
  initialState: GuardedState<S>;
} {
  if (!Number.isInteger(o.noRepeatNgram) || o.noRepeatNgram < 0)
    throw new ValueError(`noRepeatNgram must be a non-negative integer, got ${o.noRepeatNgram}`);
  if (o.maxLengths.length !== batch)
    throw new ValueError(`guards: ${o.maxLengths.length} maximum lengths for ${batch} sentences`);
  if (o.numbers && o.numbers.sourceNumbers.length !== batch)
    throw new ValueError(`number guard: ${o.numbers.sourceNumbers.length} source number lists for ${batch} sentences`);
  const track = o.onTokenLogProbs;
  const wrappedStep: StepFn<GuardedState<S>> = (tokens, st) => {
    const first = tokens.every((t) => t === o.bos) && st.history.every((h) => h.length === 0);
    const history = first ? st.history : st.history.map((h, r) => [...h, tokens[r]!]);
    let tokenLogProbs: number[][] | null = null;
    if (track && st.tokenLogProbs) {
      const last = st.lastLogProbs;
      const W = last ? last.length / tokens.length : 0;
      tokenLogProbs =
        first || !last ? st.tokenLogProbs : st.tokenLogProbs.map((lp, r) => [...lp, last[r * W + tokens[r]!]!]);
      tokenLogProbs.forEach((lp, r) => {
        track(st.sentence[r]!, lp);
      });
    }
    const out = step(tokens, st.inner);
    const V = out.logProbs.length / tokens.length;
    const raw = track ? out.logProbs.slice() : null;
    for (let r = 0; r < tokens.length; r++)
      maskRow(out.logProbs.subarray(r * V, (r + 1) * V), history[r]!, st.sentence[r]!, o);
    return { ...out, state: { inner: out.state, history, sentence: st.sentence, tokenLogProbs, lastLogProbs: raw } };
  };
  const wrappedSelect: SelectStateFn<GuardedState<S>> = (st, indices) => {
    let lastLogProbs: LogProbs | null = null;
    if (st.lastLogProbs) {
      const V = st.lastLogProbs.length / st.history.length;
      const src = st.lastLogProbs;
      const picked = new (src.constructor as Float32ArrayConstructor)(indices.length * V);
      indices.forEach((i, r) => {
        picked.set(src.subarray(i * V, (i + 1) * V), r * V);
      });
      lastLogProbs = picked;
    }
    const logProbs = st.tokenLogProbs;
    return {
      inner: selectState(st.inner, indices),
      history: Array.from(indices, (i) => st.history[i]!),
      sentence: Int32Array.from(indices, (i) => st.sentence[i]!),
      tokenLogProbs: logProbs ? Array.from(indices, (i) => logProbs[i]!) : null,
      lastLogProbs,
    };
  };
  return {
    step: wrappedStep,
    selectState: wrappedSelect,
    initialState: {
      inner: initialState,
      history: Array.from({ length: batch }, () => []),
      sentence: Int32Array.from({ length: batch }, (_, b) => b),
      tokenLogProbs: track ? Array.from({ length: batch }, () => []) : null,
      lastLogProbs: null,
    },
  };
}
