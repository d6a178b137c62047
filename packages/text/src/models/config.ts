import { describeValue, FormatError } from '@recurrent/core';

/** Name and version written into every saved model's config.json, checked on load. */
export const MODEL_FORMAT = 'recurrent-text-model';
export const MODEL_FORMAT_VERSION = 1;

export type CellKind = 'lstm' | 'gru';
/**
 * How the per-step outputs become one vector: the final state of each direction, the max or mean over valid steps,
 * max and mean concatenated, or a learned attention-weighted sum (score_t = v·tanh(W o_t + b)).
 */
export type Pooling = 'final' | 'max' | 'mean' | 'maxmean' | 'attention';
/** Which tokens a classifier keeps from a long input: the first maxTokens, or the first and last halves. */
export type TokenTruncation = 'head' | 'head-tail';

export const POOLINGS: readonly Pooling[] = ['final', 'max', 'mean', 'maxmean', 'attention'];
export const CELLS: readonly CellKind[] = ['lstm', 'gru'];
export const TRUNCATIONS: readonly TokenTruncation[] = ['head', 'head-tail'];

/** Architecture of a SentimentClassifier (everything needed to rebuild it before loading weights). */
export interface SentimentArchitecture {
  vocabSize: number;
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  cell: CellKind;
  bidirectional: boolean;
  pooling: Pooling;
  /** Size of the attention scorer's hidden layer (used by pooling 'attention'). */
  attentionSize: number;
  /** Dropout on the pooled vector (and between recurrent layers). */
  dropout: number;
  /** Dropout on the embeddings. */
  embeddingDropout: number;
  /** Longest token sequence the model reads; longer inputs are cut (see truncation). */
  maxTokens: number;
  truncation: TokenTruncation;
}

/** Architecture of a LanguageModel. */
export interface LanguageModelArchitecture {
  vocabSize: number;
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  cell: CellKind;
  /** Dropout on embeddings, between layers and before the output layer. */
  dropout: number;
  /**
   * Token ids fed before every prefix (the context the model saw at the start of a line in training: '\n' for the
   * character model, `</s>` for the word model), so an empty prefix still has a next-token distribution.
   */
  startIds: number[];
}

export type ModelKind = 'sentiment' | 'language-model';

/** config.json beside model.safetensors. `training` records how the weights were made (free-form). */
export interface ModelConfig<A = SentimentArchitecture | LanguageModelArchitecture> {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: ModelKind;
  /** The package that registers the kind ('@recurrent/text'); absent in configs saved before it was recorded. */
  package?: string;
  architecture: A;
  training?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function fail(source: string, message: string): never {
  throw new FormatError(`${source}: ${message}`);
}

function intField(o: Json, key: string, source: string, min = 1): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    fail(source, `architecture.${key} must be an integer ≥ ${min}, got ${describeValue(v)}`);
  return v;
}

function probField(o: Json, key: string, source: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !(v >= 0 && v < 1))
    fail(source, `architecture.${key} must be a number in [0, 1), got ${describeValue(v)}`);
  return v;
}

function enumField<T extends string>(o: Json, key: string, allowed: readonly T[], source: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    fail(source, `architecture.${key} must be one of ${allowed.join(', ')}, got ${describeValue(v)}`);
  return v as T;
}

function boolField(o: Json, key: string, source: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(source, `architecture.${key} must be true or false, got ${describeValue(v)}`);
  return v;
}

/** Validate a SentimentArchitecture object (as parsed from JSON). */
export function checkSentimentArchitecture(a: unknown, source = 'config.json'): SentimentArchitecture {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) fail(source, 'architecture must be an object');
  const o = a as Json;
  return {
    vocabSize: intField(o, 'vocabSize', source),
    embeddingDim: intField(o, 'embeddingDim', source),
    hiddenSize: intField(o, 'hiddenSize', source),
    numLayers: intField(o, 'numLayers', source),
    cell: enumField(o, 'cell', CELLS, source),
    bidirectional: boolField(o, 'bidirectional', source),
    pooling: enumField(o, 'pooling', POOLINGS, source),
    attentionSize: intField(o, 'attentionSize', source),
    dropout: probField(o, 'dropout', source),
    embeddingDropout: probField(o, 'embeddingDropout', source),
    maxTokens: intField(o, 'maxTokens', source),
    truncation: enumField(o, 'truncation', TRUNCATIONS, source),
  };
}

/** Validate a LanguageModelArchitecture object (as parsed from JSON). */
export function checkLanguageModelArchitecture(a: unknown, source = 'config.json'): LanguageModelArchitecture {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) fail(source, 'architecture must be an object');
  const o = a as Json;
  const vocabSize = intField(o, 'vocabSize', source);
  const startIds = o.startIds;
  if (
    !Array.isArray(startIds) ||
    startIds.length === 0 ||
    !startIds.every((v) => Number.isInteger(v) && v >= 0 && v < vocabSize)
  ) {
    fail(
      source,
      `architecture.startIds must be a non-empty list of token ids below vocabSize ${vocabSize}, got ` +
        `${describeValue(startIds)}`,
    );
  }
  return {
    vocabSize,
    embeddingDim: intField(o, 'embeddingDim', source),
    hiddenSize: intField(o, 'hiddenSize', source),
    numLayers: intField(o, 'numLayers', source),
    cell: enumField(o, 'cell', CELLS, source),
    dropout: probField(o, 'dropout', source),
    startIds: [...(startIds as number[])],
  };
}

/** Parse and validate config.json text (or an already parsed object). */
export function parseModelConfig(input: string | unknown, source = 'config.json'): ModelConfig {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      fail(source, `not valid JSON (${(e as Error).message})`);
    }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail(source, 'must be a JSON object');
  const o = json as Json;
  if (o.format !== MODEL_FORMAT) fail(source, `"format" is ${describeValue(o.format)}, expected "${MODEL_FORMAT}"`);
  if (o.version !== MODEL_FORMAT_VERSION)
    fail(source, `unsupported version ${describeValue(o.version)} (this build reads ${MODEL_FORMAT_VERSION})`);
  if (o.training !== undefined && (o.training === null || typeof o.training !== 'object' || Array.isArray(o.training)))
    fail(source, '"training" must be an object');
  if (o.package !== undefined && typeof o.package !== 'string') {
    fail(source, `"package" must be a package name, got ${describeValue(o.package)}`);
  }
  const pkg = o.package === undefined ? {} : { package: o.package };
  const training = o.training as Json | undefined;
  const head = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION } as const;
  if (o.kind === 'sentiment') {
    const architecture = checkSentimentArchitecture(o.architecture, source);
    return { ...head, kind: 'sentiment', ...pkg, architecture, training };
  }
  if (o.kind === 'language-model') {
    const architecture = checkLanguageModelArchitecture(o.architecture, source);
    return { ...head, kind: 'language-model', ...pkg, architecture, training };
  }
  fail(source, `"kind" must be "sentiment" or "language-model", got ${describeValue(o.kind)}`);
}
