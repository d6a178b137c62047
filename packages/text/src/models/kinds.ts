import { findModelKind, registerModelKind } from '@recurrent/core';
import { BUNDLE_FILES, loadTextModelFiles, type TextModel } from './load-text-model.js';
import { TEXT_PACKAGE } from './package-name.js';
import { loadTranslatorFiles, TRANSLATOR_FILES, TRANSLATOR_KIND } from './translator-files.js';

export { TEXT_PACKAGE };

/** The model kinds this package provides (the `kind` of config.json), besides `translator`. */
export const TEXT_MODEL_KINDS = ['sentiment', 'language-model'] as const;

/** Register `sentiment`, `language-model` and `translator` with core's model registry (idempotent; on import). */
export function registerTextModelKinds(): void {
  for (const kind of TEXT_MODEL_KINDS) {
    if (findModelKind(kind)?.package === TEXT_PACKAGE) continue;
    registerModelKind<TextModel>({
      kind,
      package: TEXT_PACKAGE,
      files: [BUNDLE_FILES.weights, BUNDLE_FILES.tokenizer],
      load: (files, config) => loadTextModelFiles(files, config),
    });
  }
  if (findModelKind(TRANSLATOR_KIND)?.package !== TEXT_PACKAGE) {
    registerModelKind({
      kind: TRANSLATOR_KIND,
      package: TEXT_PACKAGE,
      files: [TRANSLATOR_FILES.weights, TRANSLATOR_FILES.tokenizer],
      load: (files, config) => loadTranslatorFiles(files, config),
    });
  }
}

registerTextModelKinds();
