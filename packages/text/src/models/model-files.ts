import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '@recurrent/core';
import { readRegularFile } from '@recurrent/core/node';
import { BUNDLE_FILES, encodeModelBundle, loadModelFromBytes, type TextModel } from './bundle.js';
import type { LanguageModel } from './language-model.js';
import { SentimentClassifier } from './sentiment-classifier.js';

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Write a model directory: model.safetensors, tokenizer.json, config.json, metrics.json (each file atomically). */
export function saveModelDir(
  dir: string,
  model: TextModel,
  options: { training?: Record<string, unknown>; metrics?: Record<string, unknown> } = {},
): void {
  mkdirSync(dir, { recursive: true });
  const b = encodeModelBundle(model, options);
  writeAtomic(join(dir, BUNDLE_FILES.weights), b.weights);
  writeAtomic(join(dir, BUNDLE_FILES.tokenizer), b.tokenizer);
  writeAtomic(join(dir, BUNDLE_FILES.config), b.config);
  writeAtomic(join(dir, BUNDLE_FILES.metrics), b.metrics);
}

function readOrThrow(dir: string, name: string): Buffer {
  return readRegularFile(join(dir, name), `a saved model directory holds ${Object.values(BUNDLE_FILES).join(', ')}`);
}

/** Load a saved model directory; FormatError naming the file on anything missing or malformed. */
export function loadModelDir(dir: string): TextModel {
  const weights = readOrThrow(dir, BUNDLE_FILES.weights);
  const tokenizer = readOrThrow(dir, BUNDLE_FILES.tokenizer).toString('utf8');
  const config = readOrThrow(dir, BUNDLE_FILES.config).toString('utf8');
  try {
    return loadModelFromBytes(
      new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
      tokenizer,
      config,
    );
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
  let json: unknown;
  try {
    json = JSON.parse(readRegularFile(path, "the model's metrics").toString('utf8'));
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
