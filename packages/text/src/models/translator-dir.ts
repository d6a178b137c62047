// Node-only: write a translator's model directory.
import { join } from 'node:path';
import { ensureDirectory, writeFileAtomic } from '@recurrent/core/node';
import type { Translator } from '../translation/translator.js';
import { TRANSLATOR_FILES, translatorFiles, type TranslatorFileOptions } from './translator-files.js';

/**
 * Write a translator directory: model.safetensors, tokenizer.json, config.json (kind "translator"), metrics.json,
 * each atomically. Load it with loadModelDir of @recurrent/core/node (or loadModelFromFiles in a browser).
 */
export function saveTranslatorDir(dir: string, model: Translator, options: TranslatorFileOptions = {}): void {
  ensureDirectory(dir, 'model directory');
  const files = translatorFiles(model, options);
  // config.json last: a directory with a config always has the files it names.
  for (const name of [TRANSLATOR_FILES.weights, TRANSLATOR_FILES.tokenizer, TRANSLATOR_FILES.metrics])
    writeFileAtomic(join(dir, name), files[name]);
  writeFileAtomic(join(dir, TRANSLATOR_FILES.config), files[TRANSLATOR_FILES.config]);
}
