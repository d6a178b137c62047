import { ValueError } from '../errors.js';

/** Scores over the vocabulary for every row, row-major [rows * V]. */
export type LogProbs = Float32Array | Float64Array;

export interface StepOutput<S> {
  /** Log-probabilities [rows * V] for the next token of every row (rows = tokens.length). */
  logProbs: LogProbs;
  /** The state after consuming `tokens`, rows in the same order. */
  state: S;
  /**
   * Optional per-row vector [rows * W] recorded along each hypothesis for inspection, e.g. the
   * attention weights over the source (W = source length) or over image regions.
   */
  attention?: LogProbs;
}

/**
 * One decoder step for a batch of rows: feed the previous token of every row, get the next-token
 * distribution. Decoders call it with one row per live hypothesis.
 */
export type StepFn<S> = (tokens: Int32Array, state: S) => StepOutput<S>;

/**
 * A state holding rows `indices[0], indices[1], …` of `state`, in that order. Indices may repeat
 * (a beam splits) or leave rows out (a hypothesis died or finished).
 */
export type SelectStateFn<S> = (state: S, indices: Int32Array) => S;

/** One decoded sequence. */
export interface Hypothesis {
  /** Generated tokens, without bos and without the closing eos. */
  tokens: number[];
  /** Sum of the model's log-probabilities of every generated token, the eos included. */
  logProb: number;
  /** Ranking score: logProb divided by the length penalty in beam search; logProb otherwise. */
  score: number;
  /** True when the sequence ended with eos, false when it was cut at maxLength. */
  finished: boolean;
  /** One row per generated token (eos included), when the step function returns `attention`. */
  attention?: Float64Array[];
}

/** Options shared by every decoder. */
export interface SequenceDecodeOptions<S> {
  step: StepFn<S>;
  /** State for the first step, one row per batch item. */
  initialState: S;
  /** First input token (for a primed continuation, run the prime through the model and pass its last token). */
  bos: number;
  eos: number;
  /** Most tokens to generate per sequence, the eos included. */
  maxLength: number;
}

export function checkToken(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(`${name} must be a non-negative integer token id, got ${v}`);
}

export function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${name} must be a positive integer, got ${v}`);
}

export function checkSequenceDecodeOptions<S>(what: string, o: SequenceDecodeOptions<S>, batchSize: number): void {
  if (typeof o.step !== 'function') throw new ValueError(`${what}: step must be a function`);
  checkToken(`${what}: bos`, o.bos);
  checkToken(`${what}: eos`, o.eos);
  checkPositiveInt(`${what}: maxLength`, o.maxLength);
  checkPositiveInt(`${what}: batchSize`, batchSize);
}

/** Vocabulary size implied by a step's output for `rows` rows; throws on a malformed step. */
export function vocabSize(what: string, out: StepOutput<unknown>, rows: number, eos: number): number {
  const n = out.logProbs?.length;
  if (n === undefined || n === 0 || n % rows !== 0) {
    throw new ValueError(`${what}: step returned ${n ?? 'no'} log-probabilities for ${rows} row(s); expected rows * V`);
  }
  const V = n / rows;
  if (eos >= V) throw new ValueError(`${what}: eos ${eos} is outside the vocabulary of ${V}`);
  if (out.attention && out.attention.length % rows !== 0) {
    throw new ValueError(`${what}: step returned ${out.attention.length} attention values for ${rows} row(s)`);
  }
  return V;
}

/** Row `row` of a step's attention output as a fresh Float64Array. */
export function attentionRow(attention: LogProbs, rows: number, row: number): Float64Array {
  const w = attention.length / rows;
  return Float64Array.from(attention.subarray(row * w, (row + 1) * w));
}
