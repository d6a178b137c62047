import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '@recurrent/core';
import {
  assertModelDirectory,
  ensureDirectory,
  readFileChecked,
  readTextChecked,
  writeFileAtomic,
} from '@recurrent/core/node';
import { BUNDLE_FILES, encodeModelBundle, loadModelFromBytes, type TextModel } from './bundle.js';
import type { LanguageModel } from './language-model.js';
import { SentimentClassifier } from './sentiment-classifier.js';

/** Write a model directory: model.safetensors, tokenizer.json, config.json, metrics.json (each file atomically). */
export function saveModelDir(
  dir: string,
  model: TextModel,
  options: { training?: Record<string, unknown>; metrics?: Record<string, unknown> } = {},
): void {
  ensureDirectory(dir, 'model directory');
  const b = encodeModelBundle(model, options);
  writeFileAtomic(join(dir, BUNDLE_FILES.weights), b.weights);
  writeFileAtomic(join(dir, BUNDLE_FILES.tokenizer), b.tokenizer);
  writeFileAtomic(join(dir, BUNDLE_FILES.config), b.config);
  writeFileAtomic(join(dir, BUNDLE_FILES.metrics), b.metrics);
}

function readOrThrow(dir: string, name: string): Uint8Array {
  return readFileChecked(join(dir, name), `a saved model directory holds ${Object.values(BUNDLE_FILES).join(', ')}`);
}

/** Load a saved model directory; FormatError naming the file on anything missing or malformed. */
export function loadModelDir(dir: string): TextModel {
  assertModelDirectory(dir.replace(/\/+$/, ''));
  const weights = readOrThrow(dir, BUNDLE_FILES.weights);
  const decoder = new TextDecoder();
  const tokenizer = decoder.decode(readOrThrow(dir, BUNDLE_FILES.tokenizer));
  const config = decoder.decode(readOrThrow(dir, BUNDLE_FILES.config));
  try {
    return loadModelFromBytes(weights, tokenizer, config);
  } catch (e) {
    // Name the directory too: "dir/config.json: …".
    if (e instanceof FormatError) throw new FormatError(`${dir.replace(/\/+$/, '')}/${e.message}`);
    throw e;
  }
}

/** The metrics.json of a saved model ({} when absent). */
export function readModelMetrics(dir: string): Record<string, unknown> {
  const path = join(dir, BUNDLE_FILES.metrics);
  if (!existsSync(path)) return {};
  const text = readTextChecked(path, "the model's metrics");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new FormatError(`${path}: must be a JSON object`);
  return json as Record<string, unknown>;
}

/** loadModelDir for a sentiment model. */
export function loadSentimentClassifierDir(dir: string): SentimentClassifier {
  const m = loadModelDir(dir);
  if (!(m instanceof SentimentClassifier))
    throw new FormatError(`${join(dir, BUNDLE_FILES.config)}: this is a language model, not a sentiment classifier`);
  return m;
}

/** loadModelDir for a language model. */
export function loadLanguageModelDir(dir: string): LanguageModel {
  const m = loadModelDir(dir);
  if (m instanceof SentimentClassifier)
    throw new FormatError(`${join(dir, BUNDLE_FILES.config)}: this is a sentiment classifier, not a language model`);
  return m;
}
