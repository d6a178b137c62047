import {
  Dropout,
  Embedding,
  Generator,
  Linear,
  logSoftmax,
  LSTM,
  LstmSession,
  lstmSessionUnsupported,
  Module,
  noGrad,
  sampleNext,
  samplingDistribution,
  ValueError,
  type LstmLanguageModelParts,
  type RecurrentBase,
  type RecurrentState,
  type Tensor,
} from '@recurrent/core';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { prepareInput } from '../hygiene.js';
import { checkLanguageModelArchitecture, type LanguageModelArchitecture } from './config.js';
import { recurrentStack } from './recurrent.js';
import { checkStopStrings, StopStringMatcher } from './stop-strings.js';

export const DEFAULT_LANGUAGE_MODEL_ARCHITECTURE: Omit<LanguageModelArchitecture, 'vocabSize' | 'startIds'> = {
  embeddingDim: 128,
  hiddenSize: 256,
  numLayers: 2,
  cell: 'lstm',
  dropout: 0.2,
};

export interface LanguageModelOptions {
  /** Seeds initialisation and, after it, dropout (default 0). */
  seed?: number;
  generator?: Generator;
}

export interface TokenProbability {
  token: string;
  id: number;
  probability: number;
}

export interface NextTokenDistribution {
  /** Probability of every vocabulary id as the next token. */
  probabilities: Float64Array;
  /** The prefix as the model read it (tokens it could not represent are dropped, see `unknown`). */
  tokens: string[];
  /** Pieces of the prefix the tokenizer does not know. */
  unknown: string[];
}

export interface GenerateOptions {
  /** Tokens to sample (default 200). */
  length?: number;
  /** Softmax temperature (> 0, default 1). */
  temperature?: number;
  /** Sample only among the k most probable tokens (0 = all). */
  topK?: number;
  /** Nucleus sampling threshold in (0, 1] (default 1). */
  topP?: number;
  /** Seed of the sampling generator (default 0): the same seed gives the same text. */
  seed?: number;
  /** Stop early when this token id is sampled (it is not included; `finishReason` is `'stop'`). */
  stopId?: number;
  /**
   * Stop as soon as the text contains one of these strings (HF `stop_strings`, OpenAI `stop`). The text searched is
   * the prefix as the model read it followed by the continuation; a match must end in the continuation, so a stop
   * string may span the prefix's end (prefix `'X:1\n'`, stop `'\n\n'`, first token `'\n'` stops) but one wholly in
   * the prefix never fires. The continuation keeps the token that completed the match: `text` ends with the stop
   * string (plus, for a multi-character token, the rest of that token; when the match spans the prefix's end, only its
   * generated part). Stopping draws nothing extra: the result is a prefix of the same seed's run without `stop`.
   */
  stop?: string | readonly string[];
  /** Called after each generated token with (tokens generated so far, `length`); not for a `stopId` token. */
  onToken?: (done: number, total: number) => void;
  /** Allow `<unk>` and `<pad>` to be sampled (default false: they get probability 0). */
  allowSpecial?: boolean;
}

export interface TopKOptions {
  /** Include `<unk>` and `<pad>` in the list (default false). */
  includeSpecial?: boolean;
}

export interface Generation {
  /** The sampled continuation (without the prefix). */
  text: string;
  /** Sampled ids. */
  ids: number[];
  unknown: string[];
  /** Why sampling ended: `'length'` tokens were drawn, or a stop string / `stopId` ended it (HF `finish_reason`). */
  finishReason: 'length' | 'stop';
  /** The stop string whose match ended sampling (absent when `length` or `stopId` did). */
  stopString?: string;
}

export interface PerplexityResult {
  /** exp(mean negative log-likelihood). */
  perplexity: number;
  /** Mean negative log-likelihood per predicted token, in nats. */
  nll: number;
  /** Number of predicted tokens. */
  tokens: number;
}

/**
 * Next-token language model (character or word): embedding → dropout → LSTM/GRU stack → dropout → linear over the
 * vocabulary. Names: `embedding.weight`, `rnn.weight_ih_l0`, …, `head.weight`, `head.bias`. The hidden state is
 * carried token by token for generation.
 */
export class LanguageModel extends Module {
  readonly architecture: LanguageModelArchitecture;
  readonly tokenizer: Tokenizer;
  readonly generator: Generator;
  readonly embedding: Embedding;
  readonly rnn: RecurrentBase;
  readonly head: Linear;
  private readonly inputDropout: Dropout;
  private readonly outputDropout: Dropout;

  constructor(
    tokenizer: Tokenizer,
    architecture: Partial<LanguageModelArchitecture> & { startIds: number[] },
    options: LanguageModelOptions = {},
  ) {
    super();
    const arch = checkLanguageModelArchitecture(
      { ...DEFAULT_LANGUAGE_MODEL_ARCHITECTURE, vocabSize: tokenizer.vocabSize, ...architecture },
      'LanguageModel',
    );
    if (arch.vocabSize !== tokenizer.vocabSize)
      throw new ValueError(
        `LanguageModel: architecture.vocabSize ${arch.vocabSize} does not match the tokenizer's ` +
          `${tokenizer.vocabSize} tokens`,
      );
    this.architecture = arch;
    this.tokenizer = tokenizer;
    const generator = options.generator ?? new Generator(options.seed ?? 0);
    this.generator = generator;
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: arch.vocabSize, embeddingDim: arch.embeddingDim, generator }),
    );
    this.rnn = this.registerModule(
      'rnn',
      recurrentStack({
        cell: arch.cell,
        inputSize: arch.embeddingDim,
        hiddenSize: arch.hiddenSize,
        numLayers: arch.numLayers,
        bidirectional: false,
        dropout: arch.dropout,
        generator,
      }),
    );
    this.head = this.registerModule(
      'head',
      new Linear({ inFeatures: arch.hiddenSize, outFeatures: arch.vocabSize, generator }),
    );
    this.inputDropout = this.registerModule('embedding_dropout', new Dropout({ p: arch.dropout, generator }));
    this.outputDropout = this.registerModule('dropout', new Dropout({ p: arch.dropout, generator }));
  }

  /** ids [B, T] row-major → logits [B, T, V] and the final state (pass it back in to continue the streams). */
  forward(
    ids: ArrayLike<number>,
    batchSize: number,
    seqLen: number,
    state?: RecurrentState,
  ): { logits: Tensor; state: RecurrentState } {
    if (ids.length !== batchSize * seqLen)
      throw new ValueError(
        `LanguageModel: ids has ${ids.length} entries, expected batchSize × seqLen = ${batchSize} × ${seqLen}`,
      );
    const x = this.inputDropout.forward(this.embedding.forward(ids, [batchSize, seqLen]));
    const out = this.rnn.forward(x, state ? { state } : {});
    return { logits: this.head.forward(this.outputDropout.forward(out.output)), state: out.state };
  }

  /** The prefix as ids the model can read, dropping pieces a no-`<unk>` tokenizer cannot encode. */
  encodePrefix(prefix: string): { ids: number[]; tokens: string[]; unknown: string[] } {
    const text = prepareInput(prefix).text;
    const unknown = this.tokenizer.unknownTokens(text);
    if (unknown.length > 0 && this.tokenizer.unkId === null) {
      // A character vocabulary without <unk>: leave out characters the model never saw.
      const bad = new Set(unknown);
      const kept = Array.from(text)
        .filter((ch) => !bad.has(ch))
        .join('');
      return { ids: this.tokenizer.encode(kept), tokens: this.tokenizer.tokenize(kept), unknown };
    }
    return { ids: this.tokenizer.encode(text), tokens: this.tokenizer.tokenize(text), unknown };
  }

  /** Run start ids + prefix ids (eval, no gradients); last step's logits and the state after it. */
  private condition(ids: readonly number[]): { logits: Float64Array; state: RecurrentState } {
    const all = [...this.architecture.startIds, ...ids];
    const { logits, state } = this.forward(all, 1, all.length);
    const V = this.architecture.vocabSize;
    return { logits: Float64Array.from(logits.data.subarray((all.length - 1) * V, all.length * V)), state };
  }

  private inEval<T>(f: () => T): T {
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(f);
    } finally {
      this.train(wasTraining);
    }
  }

  /** Probability of every next token after `prefix` (which may be empty). */
  nextTokenDistribution(prefix: string): NextTokenDistribution {
    const { ids, tokens, unknown } = this.encodePrefix(prefix);
    const { logits } = this.inEval(() => this.condition(ids));
    return { probabilities: samplingDistribution(logits), tokens, unknown };
  }

  /** Ids that are not text: `<unk>` and `<pad>` (excluded from top-k lists and sampling unless asked for). */
  specialIds(): number[] {
    return [this.tokenizer.unkId, this.tokenizer.padId].filter((id): id is number => id !== null);
  }

  /**
   * The k most probable next tokens after `prefix`, most probable first (ties: lower id first). Probabilities are
   * those of the full distribution; `<unk>` and `<pad>` are left out of the list unless `includeSpecial`.
   */
  topK(prefix: string, k: number, options: TopKOptions = {}): TokenProbability[] {
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`topK: k must be a positive integer, got ${k}`);
    const { probabilities } = this.nextTokenDistribution(prefix);
    const skip = new Set(options.includeSpecial ? [] : this.specialIds());
    const order = Array.from(probabilities.keys())
      .filter((id) => !skip.has(id))
      .sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
    return order
      .slice(0, k)
      .map((id) => ({ id, token: this.tokenizer.idToToken(id), probability: probabilities[id]! }));
  }

  /**
   * Sample a continuation of `prefix` token by token, carrying the hidden state (core's sampleNext). `<unk>` and
   * `<pad>` are never drawn unless `allowSpecial`.
   */
  generate(prefix: string, options: GenerateOptions = {}): Generation {
    const length = options.length ?? 200;
    if (!Number.isInteger(length) || length < 0)
      throw new ValueError(`generate: length must be a non-negative integer, got ${length}`);
    const stops = checkStopStrings(options.stop);
    const onToken = options.onToken;
    if (onToken !== undefined && typeof onToken !== 'function')
      throw new ValueError(`generate: onToken must be a function (done, total) => void, got ${typeof onToken}`);
    const sampling = {
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      generator: new Generator(options.seed ?? 0),
    };
    const { ids: prefixIds, unknown } = this.encodePrefix(prefix);
    const banned = options.allowSpecial ? [] : this.specialIds();
    const matcher = stops.length > 0 ? new StopStringMatcher(this.tokenizer, stops, prefixIds) : null;
    const sampled = this.inEval((): { ids: number[]; stopString: string | null; stopped: boolean } => {
      let { logits, state } = this.condition(prefixIds);
      // After the prefix, an LSTM model steps through core's LstmSession (same logits bit for bit, resident in wasm)
      const parts = this.rnn instanceof LSTM && length > 1 ? this.lstmParts() : null;
      const session = parts && !lstmSessionUnsupported(parts) ? new LstmSession(parts) : null;
      try {
        session?.reset(state);
        const out: number[] = [];
        for (let i = 0; i < length; i++) {
          for (const id of banned) logits[id] = -Infinity;
          const next = sampleNext(logits, sampling);
          if (next === options.stopId) return { ids: out, stopString: null, stopped: true };
          out.push(next);
          const stopString = matcher?.push(next) ?? null;
          onToken?.(out.length, length);
          if (stopString !== null) return { ids: out, stopString, stopped: true };
          if (i === length - 1) break;
          if (session) logits = Float64Array.from(session.step(next));
          else {
            const step = this.forward([next], 1, 1, state);
            state = step.state;
            logits = Float64Array.from(step.logits.data);
          }
        }
        return { ids: out, stopString: null, stopped: false };
      } finally {
        session?.dispose();
      }
    });
    const { ids, stopString } = sampled;
    return {
      text: this.tokenizer.decode(ids),
      ids,
      unknown,
      finishReason: sampled.stopped ? 'stop' : 'length',
      ...(stopString !== null ? { stopString } : {}),
    };
  }

  private lstmParts(): LstmLanguageModelParts {
    return { embedding: this.embedding, lstm: this.rnn as LSTM, head: this.head };
  }

  /**
   * Perplexity of `text` under the model: every token is predicted from the start ids and the tokens before it
   * (pieces the tokenizer cannot encode are dropped). Needs at least one token.
   */
  perplexity(text: string): PerplexityResult {
    const { ids } = this.encodePrefix(text);
    if (ids.length === 0) throw new ValueError('perplexity: the text has no tokens');
    return this.inEval(() => perplexityOfIds(this, ids));
  }
}

/** Mean NLL of `ids` given the model's start ids, in chunks of `chunk` tokens with the state carried. */
export function perplexityOfIds(model: LanguageModel, ids: readonly number[], chunk = 256): PerplexityResult {
  const inputs = [...model.architecture.startIds, ...ids];
  const start = model.architecture.startIds.length;
  const V = model.architecture.vocabSize;
  let state: RecurrentState | undefined;
  let total = 0;
  // Predict inputs[i + 1] from inputs[..i] for i from start - 1.
  for (let pos = 0; pos < inputs.length - 1; pos += chunk) {
    const len = Math.min(chunk, inputs.length - 1 - pos);
    const out = model.forward(inputs.slice(pos, pos + len), 1, len, state);
    state = out.state;
    const logp = logSoftmax(out.logits, -1).data;
    for (let t = 0; t < len; t++) {
      const i = pos + t;
      if (i + 1 < start) continue;
      total -= logp[t * V + inputs[i + 1]!]!;
    }
  }
  const nll = total / ids.length;
  return { perplexity: Math.exp(nll), nll, tokens: ids.length };
}
