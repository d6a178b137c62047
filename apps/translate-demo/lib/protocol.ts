// The requests the page sends to the inference Web Worker (lib/inference.worker.ts) and what it answers; the channel
// itself (lanes, cancellation, model loading, errors) is @recurrent/demo-kit's.
import type { ModelManifest, ShippedModel } from '@recurrent/demo-kit';
import type { TranslatorArchitecture } from '@recurrent/text';

/** Scores of one decoding of a split, from the model's metrics.json. */
export interface SplitScores {
  bleu: number;
  bleuCased13a: number | null;
  chrf: number | null;
  /** Sentences scored (null when metrics.json does not say). */
  sentences: number | null;
}

/** The model card's facts, read at build time from the model's config.json and metrics.json. */
export interface ModelCardFacts {
  parameters: number | null;
  architecture: TranslatorArchitecture;
  /** How model.safetensors stores the weights ('float16' | 'float32'). */
  weights: string | null;
  /** The training data, as the trainer recorded it. */
  data: string | null;
  /** The command that trained it. */
  command: string | null;
  epochs: number | null;
  bestEpoch: number | null;
  trainingSeconds: number | null;
  /** Validation scores of the selected checkpoint (greedy). */
  valid: SplitScores | null;
  /** test_2016_flickr, beam 5 and greedy (null: not measured). */
  test: { beam5: SplitScores | null; greedy: SplitScores | null };
}

/** One entry of public/models/manifest.json (written by scripts/copy-assets.mjs). */
export interface ShippedTranslator extends ShippedModel {
  kind: 'translator';
  languages: { source: string; target: string };
  card: ModelCardFacts;
}

export type Manifest = ModelManifest<ShippedTranslator>;

/** How to decode: greedy, or beam search with its width and length-penalty α. */
export interface Decoding {
  method: 'greedy' | 'beam';
  beamSize: number;
  alpha: number;
}

export interface TranslateRequest {
  type: 'translate';
  model: string;
  /** The paragraph's sentences, translated one by one (each answer streamed as it is ready). */
  sentences: string[];
  decoding: Decoding;
}

export type TranslateDemoRequest = TranslateRequest;

/** One n-best hypothesis. */
export interface HypothesisView {
  text: string;
  tokens: string[];
  score: number;
  logProb: number;
  finished: boolean;
}

/** The translation of one sentence, with everything the page draws. */
export interface SentenceTranslation {
  source: string;
  sourceTokens: string[];
  /** Characters the model never saw (they became <unk>). */
  unknown: string[];
  sourceTruncated: boolean;
  text: string;
  tokens: string[];
  /** [target tokens + eos][source tokens]; each row sums to 1. */
  attention: number[][];
  /** Each target token's probability, then the eos's. */
  tokenProbabilities: number[];
  nBest: HypothesisView[];
  finished: boolean;
  timings: { encodeMs: number; decodeMs: number; totalMs: number };
  /** Answered from the worker's cache of recent sentences (the timings are those of the first run). */
  cached: boolean;
}

/** Streamed through onUpdate while a paragraph is translated. */
export interface SentenceUpdate {
  index: number;
  translation: SentenceTranslation;
}

export interface TranslateResponse {
  translations: SentenceTranslation[];
  /** Wall time of the whole request in the worker, ms. */
  millis: number;
}

export interface TranslateDemoResponses {
  translate: TranslateResponse;
}
