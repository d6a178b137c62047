// The requests the pages send to the inference Web Worker (lib/inference.worker.ts) and what it answers; the channel
// itself (lanes, cancellation, model loading, errors) is @recurrent/demo-kit's.
import type { ModelManifest, ShippedModel } from '@recurrent/demo-kit';

export type ModelKind = 'sentiment' | 'language-model';

/** One entry of public/models/manifest.json (written by scripts/copy-models.mjs). */
export interface ShippedTextModel extends ShippedModel {
  kind: ModelKind;
  /** The tokenizer's type (tokenizer.json "type"). */
  tokenizer: 'char' | 'word' | 'bpe';
}

export type Manifest = ModelManifest<ShippedTextModel>;

export interface SentimentRequest {
  type: 'sentiment';
  model: string;
  text: string;
  /** Also compute the per-token running prediction (one batched pass per chunk of prefixes). */
  trajectory: boolean;
  /** Characters the visitor gave when the page kept only the head of a giant paste (`text` is that head). */
  originalLength?: number;
}

export interface TopKRequest {
  type: 'topk';
  model: string;
  prefix: string;
  k: number;
}

export interface GenerateRequest {
  type: 'generate';
  model: string;
  prefix: string;
  length: number;
  temperature: number;
  seed: number;
}

/** Everything the pages ask the worker (model loading and status are the kit's own requests). */
export type TextRequest = SentimentRequest | TopKRequest | GenerateRequest;

/** What the page shows for one classified text. */
export interface SentimentResponse {
  probability: number;
  label: 'positive' | 'negative';
  /** The tokens the model read (after its own truncation), one trajectory point each. */
  tokens: string[];
  /** Probability of positive after each token. */
  trajectory: number[];
  /** Distinct tokens the model does not know (emoji, other scripts, words never seen in training). */
  unknown: string[];
  /** How many of the tokens read were `<unk>`. */
  unknownIds: number;
  /** Tokens in the (character-truncated) text before the model's own cut. */
  tokenCount: number;
  /** The model cut the token sequence to maxTokens: the first tokens ('head') or the first and last halves. */
  tokensTruncated: boolean;
  maxTokens: number;
  truncation: 'head' | 'head-tail';
  /** Characters the user gave, and whether prepareInput cut them at 50,000. */
  originalLength: number;
  charsTruncated: boolean;
  /** Milliseconds spent in the model. */
  millis: number;
}

export interface TopKEntry {
  token: string;
  probability: number;
}

export interface LanguageModelInputInfo {
  /** Distinct pieces of the prefix the model does not know. */
  unknown: string[];
  /** Unknown characters were dropped (a character vocabulary without `<unk>`). */
  droppedUnknown: boolean;
  /** Only the last contextChars characters of the prefix were read. */
  contextTruncated: boolean;
  contextChars: number;
}

export interface TopKResponse extends LanguageModelInputInfo {
  entries: TopKEntry[];
  millis: number;
}

export interface GenerateResponse extends LanguageModelInputInfo {
  continuation: string;
  /** 'char' continuations are glued to the prefix; 'word' ones are space-separated words. */
  tokenType: 'char' | 'word' | 'bpe';
  millis: number;
}

/** The answer to each request type. */
export interface TextResponses {
  sentiment: SentimentResponse;
  topk: TopKResponse;
  generate: GenerateResponse;
}
