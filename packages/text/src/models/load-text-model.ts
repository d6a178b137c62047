import {
  checkStoredDtypes,
  decodeSafetensors,
  type SafetensorsDType,
  fileBytes,
  FormatError,
  RecurrentError,
  type ModelFiles,
  type Tensor,
} from '@recurrent/core';
import { parseTokenizer, tokenizerFromJSON, type AnyTokenizer } from '../tokenizers/load.js';
import { parseModelConfig, type LanguageModelArchitecture, type SentimentArchitecture } from './config.js';
import { LanguageModel } from './language-model.js';
import { SentimentClassifier } from './sentiment-classifier.js';

/** File names of a saved model directory. */
export const BUNDLE_FILES = {
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  config: 'config.json',
  metrics: 'metrics.json',
} as const;

export type TextModel = SentimentClassifier | LanguageModel;

function withSource(source: string, e: unknown): never {
  if (e instanceof RecurrentError) throw new FormatError(`${source}: ${e.message}`);
  throw e;
}

function readTokenizer(files: ModelFiles): AnyTokenizer {
  const name = BUNDLE_FILES.tokenizer;
  const file = files[name];
  if (file === undefined) throw new FormatError(`${name}: missing`);
  if (typeof file === 'string') return parseTokenizer(file, name);
  if (file instanceof Uint8Array || file instanceof ArrayBuffer)
    return parseTokenizer(new TextDecoder().decode(file), name);
  try {
    return tokenizerFromJSON(file);
  } catch (e) {
    withSource(name, e);
  }
}

/**
 * The loader of both text model kinds: rebuild a model from model.safetensors, tokenizer.json and config.json.
 * Everything is validated — config fields, tokenizer, vocabulary size, every tensor's name, shape and finiteness —
 * before the model is returned, and any problem is a FormatError naming the file.
 */
export function loadTextModelFiles(files: ModelFiles, configJson: unknown): TextModel {
  const config = parseModelConfig(configJson, BUNDLE_FILES.config);
  const tokenizer = readTokenizer(files);
  if (tokenizer.vocabSize !== config.architecture.vocabSize) {
    throw new FormatError(
      `${BUNDLE_FILES.config}: architecture.vocabSize is ${config.architecture.vocabSize} ` +
        `but ${BUNDLE_FILES.tokenizer} has ${tokenizer.vocabSize} tokens`,
    );
  }
  let tensors: Record<string, Tensor>;
  let dtypes: Record<string, SafetensorsDType>;
  try {
    ({ tensors, dtypes } = decodeSafetensors(fileBytes(files, BUNDLE_FILES.weights)));
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
    checkStoredDtypes(model, dtypes);
    model.loadStateDict(tensors);
  } catch (e) {
    withSource(BUNDLE_FILES.weights, e);
  }
  model.eval();
  return model;
}
