import {
  beamSearchBatch,
  Generator,
  greedyDecodeBatch,
  indexSelect,
  logSoftmax,
  noGrad,
  sampleSequenceBatch,
  ValueError,
  type Hypothesis,
  type SelectStateFn,
  type StepFn,
  type Tensor,
} from '@recurrent/core';
import { prepareInput } from '../hygiene.js';
import type { InputTruncation } from '../models/truncation.js';
import type { TranslationDecoderState } from './decoder.js';
import { guardDecoding } from './guards.js';
import { numberRuns } from './subwords.js';
import type { EncodedSource, Translator } from './translator.js';
import { PinnedOutputLayer } from './output-layer.js';
import {
  DEFAULT_MAX_LENGTH_OFFSET,
  DEFAULT_MAX_LENGTH_RATIO,
  neverGeneratedIds,
  outputLengthLimit,
} from './search-limits.js';

export type DecodeMethod = 'greedy' | 'beam' | 'sample';
/**
 * How beam search normalises a hypothesis's log-probability by its length ℓ (eos included) before ranking:
 * 'gnmt' divides by ((5 + ℓ) / 6)^α (Wu et al. 2016), 'average' by ℓ^α (α = 1: the average log-probability per
 * token).
 */
export type LengthNormalization = 'gnmt' | 'average';

export interface TranslateOptions {
  /** Default 'beam'. */
  method?: DecodeMethod;
  /** Beam width (default 5). */
  beamSize?: number;
  /** α of the length normalisation (default 0.6). */
  alpha?: number;
  lengthNormalization?: LengthNormalization;
  /** Hypotheses kept in `nBest` (default: beamSize for beam search, 1 otherwise). */
  nBest?: number;
  /**
   * Most target tokens (eos included) = ceil(maxLengthRatio · source tokens + maxLengthOffset), defaults 1.5 and 10;
   * a translation reaching it is closed with eos (and marked finished: false).
   */
  maxLengthRatio?: number;
  maxLengthOffset?: number;
  /** Longest source in subword tokens; longer inputs are cut there (`source.truncated`). Default 400. */
  maxSourceTokens?: number;
  /** No n-gram of this many subword tokens may repeat within a translation (0 = off; default 4). */
  noRepeatNgram?: number;
  /** Numbers in the output must be digit-for-digit copies of numbers in the source (default true). */
  copyNumbers?: boolean;
  /** Sampling (method 'sample'): temperature, top-k, nucleus p, and the seed (default 0). */
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
}

export interface TranslationHypothesis {
  /** Detokenised translation. */
  text: string;
  /** Target subword tokens (eos excluded), as strings. */
  tokens: string[];
  ids: number[];
  /** Ranking score: log-probability divided by the length penalty (beam), the log-probability otherwise. */
  score: number;
  logProb: number;
  /** Ended with eos by the model's choice (false when the eos was forced at the maximum length). */
  finished: boolean;
}

export interface TranslationTimings {
  /** Encoder over the whole batch, ms. */
  encodeMs: number;
  /** Search over the whole batch, ms. */
  decodeMs: number;
  /** Everything (tokenising, rescoring, detokenising), ms, for the whole batch. */
  totalMs: number;
  /** Sentences translated together (the timings are for all of them). */
  batchSize: number;
}

export interface TranslationResult extends TranslationHypothesis {
  source: {
    /** The source after input hygiene (NFC, control characters removed, cut at maxSourceTokens). */
    text: string;
    tokens: string[];
    ids: number[];
    /** Characters the tokenizer has never seen (they became `<unk>`). */
    unknown: string[];
    truncated: boolean;
    /** What was cut (characters past input hygiene's limit, subwords past maxSourceTokens); null when nothing. */
    truncation: InputTruncation | null;
  };
  /** Attention [target tokens + eos][source tokens]: row t is where the decoder looked when emitting token t. */
  attention: number[][];
  /** Model probability of each target token, the closing eos last. */
  tokenProbabilities: number[];
  /** The best hypotheses, best first (the first is this result's translation). */
  nBest: TranslationHypothesis[];
  timings: TranslationTimings;
}

interface Resolved {
  method: DecodeMethod;
  beamSize: number;
  alpha: number;
  lengthNormalization: LengthNormalization;
  nBest: number;
  maxLengthRatio: number;
  maxLengthOffset: number;
  maxSourceTokens: number;
  noRepeatNgram: number;
  copyNumbers: boolean;
}

function resolve(o: TranslateOptions): Resolved {
  const method = o.method ?? 'beam';
  if (method !== 'greedy' && method !== 'beam' && method !== 'sample')
    throw new ValueError(`translate: method must be 'greedy', 'beam' or 'sample', got '${String(method)}'`);
  const int = (name: string, v: number, min: number): number => {
    if (!Number.isInteger(v) || v < min)
      throw new ValueError(`translate: ${name} must be an integer ≥ ${min}, got ${v}`);
    return v;
  };
  const num = (name: string, v: number, min: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      throw new ValueError(`translate: ${name} must be a finite number ≥ ${min}, got ${v}`);
    return v;
  };
  const beamSize = int('beamSize', o.beamSize ?? 5, 1);
  const nBest = int('nBest', o.nBest ?? (method === 'beam' ? beamSize : 1), 1);
  if (method === 'beam' && nBest > beamSize)
    throw new ValueError(`translate: nBest ${nBest} exceeds beamSize ${beamSize}`);
  if (method !== 'beam' && nBest !== 1)
    throw new ValueError(`translate: nBest > 1 needs method 'beam', got '${method}'`);
  const lengthNormalization = o.lengthNormalization ?? 'gnmt';
  if (lengthNormalization !== 'gnmt' && lengthNormalization !== 'average') {
    throw new ValueError(
      `translate: lengthNormalization must be 'gnmt' or 'average', got '${String(lengthNormalization)}'`,
    );
  }
  return {
    method,
    beamSize,
    alpha: num('alpha', o.alpha ?? 0.6, 0),
    lengthNormalization,
    nBest,
    maxLengthRatio: num('maxLengthRatio', o.maxLengthRatio ?? DEFAULT_MAX_LENGTH_RATIO, 0),
    maxLengthOffset: num('maxLengthOffset', o.maxLengthOffset ?? DEFAULT_MAX_LENGTH_OFFSET, 1),
    maxSourceTokens: int('maxSourceTokens', o.maxSourceTokens ?? 400, 1),
    noRepeatNgram: int('noRepeatNgram', o.noRepeatNgram ?? 4, 0),
    copyNumbers: o.copyNumbers ?? true,
  };
}

/** Decoding state threaded through core's decoders: decoder rows and the source row each attends over. */
interface RowState {
  state: TranslationDecoderState;
  memoryRows: Int32Array;
}

function rowsOf(
  model: Translator,
  encoded: EncodedSource,
  output: PinnedOutputLayer,
): { step: StepFn<RowState>; selectState: SelectStateFn<RowState>; initial: RowState } {
  const decoder = model.decoder;
  const step: StepFn<RowState> = (tokens, st) => {
    const r = decoder.step(decoder.embedding.forward(tokens, [tokens.length]), encoded.memory, st.state, st.memoryRows);
    const logProbs = output.logProbs(r.output);
    return { logProbs, state: { state: r.state, memoryRows: st.memoryRows }, attention: r.weights.data };
  };
  const selectState: SelectStateFn<RowState> = (st, indices) => {
    const pick = (t: Tensor): Tensor => indexSelect(t, 0, indices);
    const s = st.state;
    return {
      state: { h: s.h.map(pick), c: s.c ? s.c.map(pick) : null, feed: s.feed ? pick(s.feed) : null },
      memoryRows: Int32Array.from(indices, (i) => st.memoryRows[i]!),
    };
  };
  const B = encoded.lengths.length;
  return {
    step,
    selectState,
    initial: { state: encoded.state, memoryRows: Int32Array.from({ length: B }, (_, b) => b) },
  };
}

/** Per-token probabilities of each hypothesis under the model (teacher forcing on its own output, eos included). */
function tokenProbabilities(model: Translator, encoded: EncodedSource, hyps: readonly Hypothesis[]): number[][] {
  const { bosId, eosId } = model.tokenizer;
  const rows = hyps.map((h) => [bosId, ...h.tokens]);
  const T = Math.max(...rows.map((r) => r.length));
  const B = rows.length;
  const ids = new Int32Array(B * T);
  rows.forEach((r, b) => {
    ids.set(r, b * T);
  });
  const { logits } = model.decoder.forward(ids, B, T, encoded.memory, encoded.state);
  const V = model.architecture.vocabSize;
  const logp = logSoftmax(logits.reshape([B * T, V]), 1).data;
  return hyps.map((h, b) => {
    const targets = h.finished ? [...h.tokens, eosId] : h.tokens;
    return targets.map((w, t) => Math.exp(logp[(b * T + t) * V + w]!));
  });
}

/**
 * Translate texts with a Translator (evaluation mode, no gradients). Empty lines (after input hygiene) give empty
 * translations without running the model; the others are encoded and searched as one batch.
 */
export function translateTexts(
  model: Translator,
  texts: readonly string[],
  options: TranslateOptions = {},
): TranslationResult[] {
  const o = resolve(options);
  const t0 = performance.now();
  const tok = model.tokenizer;
  const sources = texts.map((text, i) => {
    if (typeof text !== 'string') throw new ValueError(`translate: input ${i} must be a string, got ${typeof text}`);
    const prepared = prepareInput(text, { collapseWhitespace: true });
    const clean = prepared.text;
    let ids = tok.encode(clean);
    const tokensCut = ids.length > o.maxSourceTokens ? { original: ids.length, kept: o.maxSourceTokens } : null;
    if (tokensCut) ids = ids.slice(0, o.maxSourceTokens);
    const charactersCut = prepared.truncated ? { original: prepared.originalLength, kept: clean.length } : null;
    const truncated = tokensCut !== null || charactersCut !== null;
    const shown = tokensCut ? tok.decode(ids) : clean;
    return {
      text: shown,
      ids,
      tokens: ids.map((id) => tok.idToToken(id)),
      unknown: tok.unknownTokens(shown),
      truncated,
      truncation: truncated ? { characters: charactersCut, tokens: tokensCut } : null,
    };
  });
  const live = sources.map((s, i) => (s.ids.length > 0 ? i : -1)).filter((i) => i >= 0);
  const results: TranslationResult[] = sources.map((source) => ({
    text: '',
    tokens: [],
    ids: [],
    score: 0,
    logProb: 0,
    finished: true,
    source,
    attention: [],
    tokenProbabilities: [],
    nBest: [],
    timings: { encodeMs: 0, decodeMs: 0, totalMs: 0, batchSize: live.length },
  }));
  if (live.length === 0) return results;

  const wasTraining = model.training;
  const disposers: (() => void)[] = [];
  model.eval();
  try {
    noGrad(() => {
      const srcIds = live.map((i) => sources[i]!.ids);
      const tEncode = performance.now();
      const encoded = model.encode(srcIds);
      const tDecode = performance.now();
      const output = new PinnedOutputLayer(model.decoder);
      disposers.push(() => output.dispose());
      const { step, selectState, initial } = rowsOf(model, encoded, output);
      const digitIds = model.digitIds();
      // Greedy and sampling keep one row per sentence: record each token's log-probability during the search. Beam
      // search rescores its best hypotheses with one teacher-forced pass instead.
      const recorded: (readonly number[])[] = srcIds.map(() => []);
      const onTokenLogProbs =
        o.method === 'beam'
          ? undefined
          : (b: number, lp: readonly number[]): void => {
              recorded[b] = lp;
            };
      const maxLengths = srcIds.map((ids) => outputLengthLimit(ids.length, o));
      const guarded = guardDecoding(step, selectState, initial, live.length, {
        noRepeatNgram: o.noRepeatNgram,
        numbers:
          o.copyNumbers && digitIds.size > 0
            ? { digitIds, sourceNumbers: srcIds.map((ids) => numberRuns(ids, digitIds)) }
            : null,
        bos: tok.bosId,
        eos: tok.eosId,
        maxLengths,
        onTokenLogProbs,
        banned: neverGeneratedIds(tok),
      });
      const common = {
        ...guarded,
        bos: tok.bosId,
        eos: tok.eosId,
        maxLength: Math.max(...maxLengths),
        batchSize: live.length,
      };
      let nBest: Hypothesis[][];
      if (o.method === 'beam') {
        nBest = beamSearchBatch({
          ...common,
          beamSize: o.beamSize,
          nBest: o.nBest,
          lengthPenalty: o.alpha,
          lengthNormalization: o.lengthNormalization === 'average' ? 'power' : 'gnmt',
        });
      } else if (o.method === 'sample') {
        const generator = new Generator(options.seed ?? 0);
        nBest = sampleSequenceBatch({
          ...common,
          temperature: options.temperature,
          topK: options.topK,
          topP: options.topP,
          generator,
        }).map((h) => [h]);
      } else {
        nBest = greedyDecodeBatch(common).map((h) => [h]);
      }
      const tDone = performance.now();
      const best = nBest.map((list, b) => {
        const h = list[0];
        if (!h) throw new ValueError(`translate: the search returned no hypothesis for sentence ${live[b]}`);
        return h;
      });
      const probs =
        o.method === 'beam'
          ? tokenProbabilities(model, encoded, best)
          : best.map((h, b) => {
              const lp = recorded[b]!.slice(0, h.tokens.length);
              const eos = h.logProb - lp.reduce((x, y) => x + y, 0);
              return [...lp, eos].map(Math.exp);
            });
      const timings = { encodeMs: tDecode - tEncode, decodeMs: tDone - tDecode, totalMs: 0, batchSize: live.length };
      live.forEach((i, b) => {
        const srcLen = srcIds[b]!.length;
        const hyps = nBest[b]!.map((h) => hypothesisOf(model, h, maxLengths[b]!));
        const attention = (best[b]!.attention ?? []).map((row) => Array.from(row.subarray(0, srcLen)));
        results[i] = {
          ...hyps[0]!,
          source: sources[i]!,
          attention,
          tokenProbabilities: probs[b]!,
          nBest: hyps,
          timings,
        };
      });
    });
  } finally {
    for (const dispose of disposers) dispose();
    model.train(wasTraining);
  }
  const totalMs = performance.now() - t0;
  for (const r of results) r.timings.totalMs = totalMs;
  return results;
}

function hypothesisOf(model: Translator, h: Hypothesis, maxLength: number): TranslationHypothesis {
  const tok = model.tokenizer;
  const finished = h.finished && h.tokens.length + 1 < maxLength;
  return {
    text: tok.decode(h.tokens).trim(),
    tokens: h.tokens.map((id) => tok.idToToken(id)),
    ids: [...h.tokens],
    score: h.score,
    logProb: h.logProb,
    finished,
  };
}
