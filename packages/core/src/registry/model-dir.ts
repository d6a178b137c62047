// Node-only: load a saved model directory through the model-kind registry.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { readFileChecked } from '../io/file-checks.js';
import { loadWithinFileBudget, MODEL_CONFIG_FILE, modelKindOf, type ModelFiles } from './model-kinds.js';

function readFile(dir: string, name: string, holds: string): Uint8Array {
  return readFileChecked(join(dir, name), holds);
}

/** A FormatError unless `base` is a directory: missing, or a file given where a model directory belongs. */
export function assertModelDirectory(base: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(base).isDirectory();
  } catch {
    throw new FormatError(`${base}/${MODEL_CONFIG_FILE}: missing (${base}: no such model directory)`);
  }
  if (!isDirectory) throw new FormatError(`${base}: is a file, expected a saved model directory (config.json …)`);
}

/**
 * The parsed config.json of the saved model in `dir`; FormatErrors name the directory or file (no such directory,
 * config.json missing, not JSON, not an object).
 */
export function readModelDirConfig(dir: string): Record<string, unknown> {
  const base = dir.replace(/\/+$/, '');
  assertModelDirectory(base);
  return readConfigFile(base).config;
}

/** config.json of `base` as text (what loaders receive) and parsed. */
function readConfigFile(base: string): { text: string; config: Record<string, unknown> } {
  const bytes = readFile(base, MODEL_CONFIG_FILE, "a saved model directory holds config.json and its kind's files");
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${base}/${MODEL_CONFIG_FILE}: not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new FormatError(`${base}/${MODEL_CONFIG_FILE}: must be a JSON object`);
  return { text, config: json as Record<string, unknown> };
}

/**
 * The training task a saved model's config.json records (`training.task`, which the runner writes, else
 * `training.config.task`), or null.
 */
export function recordedTrainingTask(config: Record<string, unknown>): string | null {
  const training = config.training as { task?: unknown; config?: { task?: unknown } } | undefined;
  const task = training?.task ?? training?.config?.task;
  return typeof task === 'string' ? task : null;
}

/**
 * Load the saved model in `dir`: config.json names its kind, the registered kind says which files to read and
 * rebuilds the model. FormatErrors name the directory and file; an unknown kind lists the registered ones.
 */
export function loadModelDir<M = unknown>(dir: string): M {
  const base = dir.replace(/\/+$/, '');
  assertModelDirectory(base);
  const { text, config } = readConfigFile(base);
  const files: Record<string, Uint8Array | string> = { [MODEL_CONFIG_FILE]: text };
  try {
    const kind = modelKindOf(config);
    for (const name of kind.files)
      files[name] = readFile(
        base,
        name,
        `a "${kind.kind}" model directory holds ${[MODEL_CONFIG_FILE, ...kind.files].join(', ')}`,
      );
    return loadWithinFileBudget(kind, files as ModelFiles, config) as M;
  } catch (e) {
    if (e instanceof FormatError && !e.message.startsWith(base)) throw new FormatError(`${base}/${e.message}`);
    throw e;
  }
}
