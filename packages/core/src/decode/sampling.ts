import type { Hypothesis, LogProbs } from './types.js';
import { decodeTokenwise, type TokenwiseOptions } from './tokenwise.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ValueError } from '../errors.js';

export interface SamplingOptions {
  /** Divides the logits; > 0. Below 1 sharpens, above 1 flattens; → 0 approaches argmax. Default 1. */
  temperature?: number;
  /** Keep only the k most probable tokens (exactly k; on ties the lower index wins). 0 or absent = all. */
  topK?: number;
  /** Nucleus sampling: keep the smallest most-probable set whose probability reaches topP, in (0, 1]. Default 1. */
  topP?: number;
  /** Source of randomness (default: the global generator); the same seed gives the same samples. */
  generator?: Generator;
}

function checkSamplingOptions(o: SamplingOptions): { temperature: number; topK: number; topP: number } {
  const temperature = o.temperature ?? 1;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ValueError(`temperature must be a finite number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new ValueError(`topK must be a non-negative integer (0 = no limit), got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new ValueError(`topP must be in (0, 1], got ${topP}`);
  return { temperature, topK, topP };
}

/** The largest logit, after checking that there is a finite one and no NaN. */
function maxLogit(logits: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (Number.isNaN(x)) throw new ValueError(`sampling: logit ${i} is NaN`);
    if (x > max) max = x;
  }
  if (max === -Infinity) throw new ValueError('sampling: every logit is -Infinity (no token is possible)');
  if (max === Infinity) throw new ValueError('sampling: a logit is +Infinity');
  return max;
}

/**
 * The distribution `sampleNext` draws from: softmax(logits / temperature), restricted to the top-k
 * tokens, then to the top-p nucleus (after top-k, as in Hugging Face), renormalised. Tokens filtered
 * out get probability exactly 0. `logits` may be unnormalised or log-probabilities.
 */
export function samplingDistribution(logits: ArrayLike<number>, options: SamplingOptions = {}): Float64Array {
  const { temperature, topK, topP } = checkSamplingOptions(options);
  const V = logits.length;
  const max = maxLogit(logits);
  const probs = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    probs[i] = e;
    total += e;
  }
  const restrictK = topK > 0 && topK < V;
  if (restrictK || topP < 1) {
    // Most probable first; the lower index first on ties.
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
    let keep = restrictK ? topK : V;
    if (topP < 1) {
      let kept = 0;
      for (let j = 0; j < keep; j++) kept += probs[order[j]!]!;
      let cum = 0;
      let n = 0;
      // Smallest prefix reaching topP of the (top-k) mass; the tolerance keeps exact ties like 0.5 + 0.3 = 0.8 in.
      while (n < keep) {
        cum += probs[order[n]!]!;
        n++;
        if (cum >= topP * kept * (1 - 1e-12)) break;
      }
      keep = n;
    }
    for (let j = keep; j < V; j++) probs[order[j]!] = 0;
    total = 0;
    for (let j = 0; j < keep; j++) total += probs[order[j]!]!;
  }
  for (let i = 0; i < V; i++) probs[i]! /= total;
  return probs;
}

/** Reused by sampleNext's unrestricted path (per-call allocation showed up in generation loops). */
let scratch = new Float64Array(0);

/** Draw one token id from `logits` (one row of V scores) with temperature, top-k and top-p. */
export function sampleNext(logits: ArrayLike<number>, options: SamplingOptions = {}): number {
  const { temperature, topK, topP } = checkSamplingOptions(options);
  const V = logits.length;
  if ((topK > 0 && topK < V) || topP < 1) {
    return (options.generator ?? defaultGenerator()).categorical(samplingDistribution(logits, options));
  }
  // Unrestricted: the same weights exp((x − max) / T), drawn against their sum without normalising them first.
  const max = maxLogit(logits);
  if (scratch.length < V) scratch = new Float64Array(V);
  const w = scratch;
  for (let i = 0; i < V; i++) w[i] = Math.exp((logits[i]! - max) / temperature);
  return (options.generator ?? defaultGenerator()).categorical(w.length === V ? w : w.subarray(0, V));
}

export type SampleSequenceOptions<S> = TokenwiseOptions<S> & SamplingOptions;

/**
 * Sample `batchSize` sequences token by token until eos or maxLength. Each hypothesis's logProb is
 * the model's (unfiltered, temperature 1) log-probability of the sampled tokens.
 */
export function sampleSequenceBatch<S>(options: SampleSequenceOptions<S>): Hypothesis[] {
  checkSamplingOptions(options);
  const generator = options.generator ?? defaultGenerator();
  const sampling = { ...options, generator };
  return decodeTokenwise('sampleSequence', options, (row: LogProbs) => sampleNext(row, sampling));
}

/** Sample one sequence (`initialState` has one row). */
export function sampleSequence<S>(options: Omit<SampleSequenceOptions<S>, 'batchSize'>): Hypothesis {
  return sampleSequenceBatch({ ...options, batchSize: 1 })[0]!;
}
