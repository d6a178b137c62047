import {
  encodeSafetensors,
  FormatError,
  loadModelFromFiles,
  modelKindOf,
  readModelConfig,
  type ModelFiles,
} from '@recurrent/core';
import { stringifyTokenizer } from '../tokenizers/load.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelConfig } from './config.js';
import { LanguageModel } from './language-model.js';
import { SentimentClassifier } from './sentiment-classifier.js';
import { BUNDLE_FILES, type TextModel } from './load-text-model.js';
import { registerTextModelKinds, TEXT_PACKAGE } from './kinds.js';

export { BUNDLE_FILES, type TextModel } from './load-text-model.js';

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
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind,
    package: TEXT_PACKAGE,
    architecture: { ...model.architecture },
    ...(training ? { training } : {}),
  };
}

/** Serialise a model to the four files of a saved model (weights as float32 safetensors, PyTorch names). */
export function encodeModelBundle(
  model: TextModel,
  options: { training?: Record<string, unknown>; metrics?: Record<string, unknown> } = {},
): ModelBundle {
  return {
    weights: encodeSafetensors(model.stateDict(), { format: 'pt' }, { dtype: 'float32' }),
    tokenizer: stringifyTokenizer(model.tokenizer),
    config: `${JSON.stringify(modelConfig(model, options.training), null, 2)}\n`,
    metrics: `${JSON.stringify(options.metrics ?? {}, null, 2)}\n`,
  };
}

/** Load text-model files through core's model registry; another package's kind is a FormatError. */
export function loadTextModelFromFiles(files: ModelFiles): TextModel {
  registerTextModelKinds();
  const kind = modelKindOf(readModelConfig(files), BUNDLE_FILES.config);
  if (kind.package !== TEXT_PACKAGE) {
    throw new FormatError(
      `${BUNDLE_FILES.config}: "kind" is "${kind.kind}", a ${kind.package} model, not a ${TEXT_PACKAGE} model ` +
        '(load it with loadModelFromFiles of @recurrent/core)',
    );
  }
  return loadModelFromFiles<TextModel>(files);
}

/**
 * Rebuild a model from the bytes of model.safetensors and the texts (or parsed objects) of tokenizer.json and
 * config.json. Browser-safe. config.json's kind picks the loader registered with core (`sentiment`,
 * `language-model`). Everything is validated — config fields, tokenizer, vocabulary size, every tensor's name, shape
 * and finiteness — before the model is returned, and any problem is a FormatError naming the file.
 */
export function loadModelFromBytes(
  weights: Uint8Array | ArrayBuffer,
  tokenizerJson: string | object,
  configJson: string | object,
): TextModel {
  // A plain Uint8Array view: Node's Buffer overrides slice() to share memory, which core's decoder relies on copying.
  const bytes =
    weights instanceof Uint8Array
      ? new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)
      : new Uint8Array(weights);
  return loadTextModelFromFiles({
    [BUNDLE_FILES.weights]: bytes,
    [BUNDLE_FILES.tokenizer]: tokenizerJson as string | Record<string, unknown>,
    [BUNDLE_FILES.config]: configJson as string | Record<string, unknown>,
  });
}

/** loadModelFromBytes for a sentiment model; FormatError when the bundle holds another kind. */
export function loadSentimentClassifier(
  weights: Uint8Array | ArrayBuffer,
  tokenizerJson: string | object,
  configJson: string | object,
): SentimentClassifier {
  const model = loadModelFromBytes(weights, tokenizerJson, configJson);
  if (!(model instanceof SentimentClassifier))
    throw new FormatError(`${BUNDLE_FILES.config}: this is a language model, not a sentiment classifier`);
  return model;
}

/** loadModelFromBytes for a language model; FormatError when the bundle holds another kind. */
export function loadLanguageModel(
  weights: Uint8Array | ArrayBuffer,
  tokenizerJson: string | object,
  configJson: string | object,
): LanguageModel {
  const model = loadModelFromBytes(weights, tokenizerJson, configJson);
  if (!(model instanceof LanguageModel))
    throw new FormatError(`${BUNDLE_FILES.config}: this is a sentiment classifier, not a language model`);
  return model;
}

/** Rebuild a model from an in-memory bundle. */
export function loadModelBundle(bundle: Pick<ModelBundle, 'weights' | 'tokenizer' | 'config'>): TextModel {
  return loadModelFromBytes(bundle.weights, bundle.tokenizer, bundle.config);
}
