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

interface CheckedSampling {
  temperature: number;
  topK: number;
  topP: number;
}

function checkSamplingOptions(o: SamplingOptions): CheckedSampling {
  const temperature = o.temperature ?? 1;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new ValueError(`temperature must be a finite number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0)
    throw new ValueError(`topK must be a non-negative integer (0 = no limit), got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new ValueError(`topP must be in (0, 1], got ${topP}`);
  return { temperature, topK, topP };
}

/** Whether top-k or top-p removes any of V tokens (else every token keeps its tempered weight). */
function restricts(o: CheckedSampling, V: number): boolean {
  return (o.topK > 0 && o.topK < V) || o.topP < 1;
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
  return distribution(logits, checkSamplingOptions(options));
}

/** out[i] = exp((logits[i] − max) / temperature) for every token; returns their sum. */
function temperedWeights(logits: ArrayLike<number>, temperature: number, out: Float64Array): number {
  const max = maxLogit(logits);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    total += e;
  }
  return total;
}

function distribution(logits: ArrayLike<number>, o: CheckedSampling): Float64Array {
  const { topK, topP } = o;
  const V = logits.length;
  const probs = new Float64Array(V);
  let total = temperedWeights(logits, o.temperature, probs);
  const restrictK = topK > 0 && topK < V;
  if (restricts(o, V)) {
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
  const o = checkSamplingOptions(options);
  const V = logits.length;
  const generator = options.generator ?? defaultGenerator();
  if (restricts(o, V)) return generator.categorical(distribution(logits, o));
  // Unrestricted: the tempered weights drawn against their sum, without normalising them first.
  if (scratch.length < V) scratch = new Float64Array(V);
  const w = scratch.length === V ? scratch : scratch.subarray(0, V);
  temperedWeights(logits, o.temperature, w);
  return generator.categorical(w);
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
