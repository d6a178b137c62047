// Registers the piano-roll model kinds with core's model registry (browser-safe; done when an entry is imported).
import { fileBytes, findModelKind, registerModelKind, type ModelFiles } from '@recurrent/core';
import { loadRollModelFromBytes, MUSIC_PACKAGE, type RollModel, type RollModelKind } from './config.js';

/** The model kinds this package provides (config.json `kind`). The folk model is @recurrent/text's language-model. */
export const MUSIC_MODEL_KINDS: readonly RollModelKind[] = ['piano-roll-rnn', 'rnn-nade'];

/** Files of a saved piano-roll model besides config.json (metrics.json is optional). */
export const ROLL_MODEL_FILES = {
  weights: 'model.safetensors',
  config: 'config.json',
  metrics: 'metrics.json',
} as const;

/** core's loader of both kinds: config.json and model.safetensors, everything checked (FormatError naming the file). */
export function loadRollModelFiles(files: ModelFiles, config: unknown): RollModel {
  return loadRollModelFromBytes(fileBytes(files, ROLL_MODEL_FILES.weights), config as object).model;
}

/** Register `piano-roll-rnn` and `rnn-nade` (idempotent). */
export function registerMusicModelKinds(): void {
  for (const kind of MUSIC_MODEL_KINDS) {
    if (findModelKind(kind)?.package === MUSIC_PACKAGE) continue;
    registerModelKind<RollModel>({
      kind,
      package: MUSIC_PACKAGE,
      files: [ROLL_MODEL_FILES.weights],
      load: loadRollModelFiles,
    });
  }
}

registerMusicModelKinds();
