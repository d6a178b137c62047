import { decodeSafetensors, encodeSafetensors, FormatError, RecurrentError, type Tensor } from '@recurrent/core';
import { parseTokenizer, stringifyTokenizer, tokenizerFromJSON, type AnyTokenizer } from '../tokenizers/load.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, parseModelConfig, type LanguageModelArchitecture, type ModelConfig, type SentimentArchitecture } from './config.js';
import { LanguageModel } from './language-model.js';
import { SentimentClassifier } from './sentiment-classifier.js';

/** File names of a saved model directory. */
export const BUNDLE_FILES = { weights: 'model.safetensors', tokenizer: 'tokenizer.json', config: 'config.json', metrics: 'metrics.json' } as const;

export type TextModel = SentimentClassifier | LanguageModel;

/** A saved model in memory: the bytes/text of model.safetensors, tokenizer.json, config.json and metrics.json. */
export interface ModelBundle {
  weights: Uint8Array;
  tokenizer: string;
  config: string;
  metrics: string;
}

/** config.json content for a model (training details are free-form: command, hyperparameters, seed, data). */
export function modelConfig(model: TextModel, training?: Record<string, unknown>): ModelConfig {
  const kind = model instanceof SentimentClassifier ? 'sentiment' : 'language-model';
  return { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, kind, architecture: { ...model.architecture }, ...(training ? { training } : {}) };
}

/** Serialise a model to the four files of a saved model (weights as float32 safetensors, PyTorch names). */
export function encodeModelBundle(model: TextModel, options: { training?: Record<string, unknown>; metrics?: Record<string, unknown> } = {}): ModelBundle {
  return {
    weights: encodeSafetensors(model.stateDict(), { format: 'pt' }, { dtype: 'float32' }),
    tokenizer: stringifyTokenizer(model.tokenizer),
    config: `${JSON.stringify(modelConfig(model, options.training), null, 2)}\n`,
    metrics: `${JSON.stringify(options.metrics ?? {}, null, 2)}\n`,
  };
}

function withSource(source: string, e: unknown): never {
  if (e instanceof RecurrentError) throw new FormatError(`${source}: ${e.message}`);
  throw e;
}

/**
 * Rebuild a model from the bytes of model.safetensors and the texts (or parsed objects) of tokenizer.json and
 * config.json. Browser-safe. Everything is validated — config fields, tokenizer, vocabulary size, every tensor's
 * name, shape and finiteness — before the model is returned, and any problem is a FormatError naming the file.
 */
export function loadModelFromBytes(weights: Uint8Array | ArrayBuffer, tokenizerJson: string | object, configJson: string | object): TextModel {
  const config = parseModelConfig(configJson, BUNDLE_FILES.config);
  let tokenizer: AnyTokenizer;
  if (typeof tokenizerJson === 'string') tokenizer = parseTokenizer(tokenizerJson, BUNDLE_FILES.tokenizer);
  else {
    try {
      tokenizer = tokenizerFromJSON(tokenizerJson);
    } catch (e) {
      withSource(BUNDLE_FILES.tokenizer, e);
    }
  }
  if (tokenizer.vocabSize !== config.architecture.vocabSize) {
    throw new FormatError(`${BUNDLE_FILES.config}: architecture.vocabSize is ${config.architecture.vocabSize} but ${BUNDLE_FILES.tokenizer} has ${tokenizer.vocabSize} tokens`);
  }
  let tensors: Record<string, Tensor>;
  try {
    // A plain Uint8Array view: Node's Buffer overrides slice() to share memory, which core's decoder relies on copying.
    const bytes = weights instanceof Uint8Array ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) : new Uint8Array(weights);
    tensors = decodeSafetensors(bytes).tensors;
  } catch (e) {
    withSource(BUNDLE_FILES.weights, e);
  }
  let model: TextModel;
  try {
    model =
      config.kind === 'sentiment'
        ? new SentimentClassifier(tokenizer, config.architecture as SentimentArchitecture)
        : new LanguageModel(tokenizer, config.architecture as LanguageModelArchitecture);
  } catch (e) {
    withSource(BUNDLE_FILES.config, e);
  }
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    withSource(BUNDLE_FILES.weights, e);
  }
  model.eval();
  return model;
}

/** loadModelFromBytes for a sentiment model; FormatError when the bundle holds another kind. */
export function loadSentimentClassifier(weights: Uint8Array | ArrayBuffer, tokenizerJson: string | object, configJson: string | object): SentimentClassifier {
  const model = loadModelFromBytes(weights, tokenizerJson, configJson);
  if (!(model instanceof SentimentClassifier)) throw new FormatError(`${BUNDLE_FILES.config}: this is a language model, not a sentiment classifier`);
  return model;
}

/** loadModelFromBytes for a language model; FormatError when the bundle holds another kind. */
export function loadLanguageModel(weights: Uint8Array | ArrayBuffer, tokenizerJson: string | object, configJson: string | object): LanguageModel {
  const model = loadModelFromBytes(weights, tokenizerJson, configJson);
  if (!(model instanceof LanguageModel)) throw new FormatError(`${BUNDLE_FILES.config}: this is a sentiment classifier, not a language model`);
  return model;
}

/** Rebuild a model from an in-memory bundle. */
export function loadModelBundle(bundle: Pick<ModelBundle, 'weights' | 'tokenizer' | 'config'>): TextModel {
  return loadModelFromBytes(bundle.weights, bundle.tokenizer, bundle.config);
}
