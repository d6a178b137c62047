// Node: read a saved model directory of either family (piano roll, or the folk tune language model).
import { join } from 'node:path';
import { describeValue, FormatError, RecurrentError } from '@recurrent/core';
import { readFileChecked, readModelDirConfig, recordedTrainingTask } from '@recurrent/core/node';
import { loadLanguageModelDir } from '@recurrent/text/node';
import type { LanguageModel } from '@recurrent/text';
import { loadRollModelFromBytes, type RollModel, type RollModelConfig } from './config.js';
import { ROLL_MODEL_FILES } from './kinds.js';

/** What a music model directory holds: a piano-roll model with its config, or the folk (ABC) language model. */
export type MusicModel =
  | { family: 'roll'; model: RollModel; config: RollModelConfig; task: string | null }
  | { family: 'folk'; model: LanguageModel; config: Record<string, unknown>; task: string | null };

/** Load a saved @recurrent/music model directory; FormatError naming the file on anything missing or malformed. */
export function loadMusicModelDir(dir: string): MusicModel {
  const config = readModelDirConfig(dir);
  const task = recordedTrainingTask(config);
  if (config.kind === 'language-model') return { family: 'folk', model: loadLanguageModelDir(dir), config, task };
  if (config.kind !== 'piano-roll-rnn' && config.kind !== 'rnn-nade') {
    throw new FormatError(
      `${join(dir, ROLL_MODEL_FILES.config)}: kind ${describeValue(config.kind)} is not a music model ` +
        "(expected piano-roll-rnn, rnn-nade or the folk model's language-model)",
    );
  }
  const bytes = readFileChecked(join(dir, ROLL_MODEL_FILES.weights), 'a piano-roll model directory holds it');
  try {
    const loaded = loadRollModelFromBytes(bytes, config);
    return { family: 'roll', model: loaded.model, config: loaded.config, task };
  } catch (e) {
    if (e instanceof RecurrentError) throw new FormatError(`${dir.replace(/\/+$/, '')}/${e.message}`);
    throw e;
  }
}
