import { findModelKind, registerModelKind } from '@recurrent/core';
import { BUNDLE_FILES, loadTextModelFiles, type TextModel } from './load-text-model.js';

/** The package name recorded in saved configs and in the model-kind registry. */
export const TEXT_PACKAGE = '@recurrent/text';

/** The model kinds this package provides (the `kind` of config.json). */
export const TEXT_MODEL_KINDS = ['sentiment', 'language-model'] as const;

/** Register `sentiment` and `language-model` with core's model registry (idempotent; done on import). */
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
}

registerTextModelKinds();
