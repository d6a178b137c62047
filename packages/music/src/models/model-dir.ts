// Node: read a saved model directory of either family (piano roll, or the folk tune language model).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, RecurrentError } from '@recurrent/core';
import { loadLanguageModelDir } from '@recurrent/text/node';
import type { LanguageModel } from '@recurrent/text';
import { loadRollModelFromBytes, type RollModel, type RollModelConfig } from './config.js';
import { ROLL_MODEL_FILES } from './kinds.js';

/** What a music model directory holds: a piano-roll model with its config, or the folk (ABC) language model. */
export type MusicModel =
  | { family: 'roll'; model: RollModel; config: RollModelConfig; task: string | null }
  | { family: 'folk'; model: LanguageModel; config: Record<string, unknown>; task: string | null };

/** config.json of a model directory, parsed (FormatError naming the path when missing or not a JSON object). */
export function readConfigJson(dir: string): Record<string, unknown> {
  const path = join(dir, ROLL_MODEL_FILES.config);
  if (!existsSync(dir)) throw new FormatError(`${dir}: no such model directory`);
  if (!existsSync(path)) throw new FormatError(`${path}: missing (a saved model directory holds config.json)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FormatError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new FormatError(`${path}: must be a JSON object`);
  return json as Record<string, unknown>;
}

/** The training task recorded in config.json (`training.config.task`), or null. */
export function recordedTask(config: Record<string, unknown>): string | null {
  const training = config.training as { config?: { task?: unknown } } | undefined;
  const task = training?.config?.task;
  return typeof task === 'string' ? task : null;
}

/** Load a saved @recurrent/music model directory; FormatError naming the file on anything missing or malformed. */
export function loadMusicModelDir(dir: string): MusicModel {
  const config = readConfigJson(dir);
  const task = recordedTask(config);
  if (config.kind === 'language-model') return { family: 'folk', model: loadLanguageModelDir(dir), config, task };
  if (config.kind !== 'piano-roll-rnn' && config.kind !== 'rnn-nade') {
    throw new FormatError(
      `${join(dir, ROLL_MODEL_FILES.config)}: kind ${JSON.stringify(config.kind)} is not a music model ` +
        "(expected piano-roll-rnn, rnn-nade or the folk model's language-model)",
    );
  }
  const weightsPath = join(dir, ROLL_MODEL_FILES.weights);
  if (!existsSync(weightsPath)) throw new FormatError(`${weightsPath}: missing`);
  const weights = readFileSync(weightsPath);
  try {
    const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
    const loaded = loadRollModelFromBytes(bytes, config);
    return { family: 'roll', model: loaded.model, config: loaded.config, task };
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(`${dir.replace(/\/+$/, '')}/${e.message}`);
    throw e;
  }
}
