// Node-only: load a saved model directory through the model-kind registry.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { MODEL_CONFIG_FILE, modelKindOf, type ModelFiles } from './model-kinds.js';

function readFile(dir: string, name: string, holds: string): Uint8Array {
  const path = join(dir, name);
  if (!existsSync(path)) throw new FormatError(`${path}: missing (${holds})`);
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Load the saved model in `dir`: config.json names its kind, the registered kind says which files to read and
 * rebuilds the model. FormatErrors name the directory and file; an unknown kind lists the registered ones.
 */
export function loadModelDir<M = unknown>(dir: string): M {
  const base = dir.replace(/\/+$/, '');
  const configBytes = readFile(
    base,
    MODEL_CONFIG_FILE,
    "a saved model directory holds config.json and its kind's files",
  );
  const files: Record<string, Uint8Array | string> = { [MODEL_CONFIG_FILE]: new TextDecoder().decode(configBytes) };
  try {
    const configJson = JSON.parse(files[MODEL_CONFIG_FILE] as string) as unknown;
    if (configJson === null || typeof configJson !== 'object' || Array.isArray(configJson))
      throw new FormatError(`${MODEL_CONFIG_FILE}: must be a JSON object`);
    const config = configJson as Record<string, unknown>;
    const kind = modelKindOf(config);
    for (const name of kind.files)
      files[name] = readFile(
        base,
        name,
        `a "${kind.kind}" model directory holds ${[MODEL_CONFIG_FILE, ...kind.files].join(', ')}`,
      );
    return kind.load(files as ModelFiles, config) as M;
  } catch (e) {
    if (e instanceof SyntaxError) throw new FormatError(`${base}/${MODEL_CONFIG_FILE}: not valid JSON (${e.message})`);
    if (e instanceof FormatError && !e.message.startsWith(base)) throw new FormatError(`${base}/${e.message}`);
    throw e;
  }
}
