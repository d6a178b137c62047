// Shared by the unit tests: the shipped models read from packages/music/models (what the build copies).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRollModelFromBytes } from '@recurrent/music';
import { LanguageModel, loadModelFromBytes } from '@recurrent/text';
import type { LoadedMusicModel } from '../../lib/compose';

export const MODELS_DIR = fileURLToPath(new URL('../../../../packages/music/models', import.meta.url));

export const readModelJson = (name: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(MODELS_DIR, name, file), 'utf8')) as Record<string, unknown>;

/** A shipped model loaded as the worker loads it (from its files' bytes). */
export function loadShipped(name: string): LoadedMusicModel {
  const config = readFileSync(join(MODELS_DIR, name, 'config.json'), 'utf8');
  const weights = new Uint8Array(readFileSync(join(MODELS_DIR, name, 'model.safetensors')));
  if (name === 'abc') {
    const tokenizer = readFileSync(join(MODELS_DIR, name, 'tokenizer.json'), 'utf8');
    const model = loadModelFromBytes(weights, tokenizer, config);
    if (!(model instanceof LanguageModel)) throw new Error('abc is not a language model');
    return { family: 'folk', model };
  }
  const { model, config: parsed } = loadRollModelFromBytes(weights, config);
  return { family: 'roll', model, stepsPerQuarter: parsed.stepsPerQuarter };
}
