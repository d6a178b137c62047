// Registers the vision model kinds with core's model registry (browser-safe; done when an entry is imported).
import {
  FormatError,
  checkStoredDtypes,
  decodeSafetensors,
  fileBytes,
  fileJson,
  findModelKind,
  registerModelKind,
  type ModelFiles,
} from '@recurrent/core';
import { CaptionVocabulary, sceneCaptionVocabulary } from '../captioner/vocabulary.js';
import { COCO_CAPTIONER_KIND, CocoCaptioner, type CocoCaptionerArchitecture } from './coco-captioner.js';
import { SCENE_CAPTIONER_KIND, SceneCaptioner, type SceneCaptionerArchitecture } from './scene-captioner.js';

/** The package name recorded in saved configs and in the registries. */
export const VISION_PACKAGE = '@recurrent/vision';

/** The files of a vision model directory besides config.json (and metrics.json, which loading does not need). */
export const VISION_MODEL_FILES = { weights: 'model.safetensors', vocabulary: 'vocabulary.json' } as const;

export type VisionModel = SceneCaptioner | CocoCaptioner;

function readVocabulary(files: ModelFiles): CaptionVocabulary {
  const json = fileJson(files, VISION_MODEL_FILES.vocabulary) as { words?: unknown };
  const words = json?.words;
  if (!Array.isArray(words) || words.some((w) => typeof w !== 'string'))
    throw new FormatError(`${VISION_MODEL_FILES.vocabulary}: expected { "words": [string, ...] }`);
  return wrapFormat(VISION_MODEL_FILES.vocabulary, () => new CaptionVocabulary(words as string[]));
}

function loadWeights(model: SceneCaptioner | CocoCaptioner, files: ModelFiles): void {
  const { tensors, dtypes } = decodeSafetensors(fileBytes(files, VISION_MODEL_FILES.weights));
  checkStoredDtypes(model, dtypes, VISION_MODEL_FILES.weights);
  const expected = Object.keys(model.stateDict());
  const missing = expected.filter((k) => !(k in tensors));
  if (missing.length > 0)
    throw new FormatError(`${VISION_MODEL_FILES.weights}: missing weights ${missing.slice(0, 5).join(', ')}`);
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new FormatError(`${VISION_MODEL_FILES.weights}: ${(e as Error).message}`);
  }
  model.eval();
}

function architectureOf<A>(config: Record<string, unknown>): A {
  const a = config.architecture;
  if (a === null || typeof a !== 'object' || Array.isArray(a))
    throw new FormatError('config.json: expected an "architecture" object');
  return a as A;
}

function wrapFormat<T>(source: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${source}: ${(e as Error).message}`);
  }
}

export function loadSceneCaptionerFiles(files: ModelFiles, config: Record<string, unknown>): SceneCaptioner {
  const architecture = architectureOf<SceneCaptionerArchitecture>(config);
  const model = wrapFormat('config.json', () => new SceneCaptioner(architecture, { seed: 0 }));
  const saved = readVocabulary(files);
  if (saved.words.join(' ') !== sceneCaptionVocabulary().words.join(' '))
    throw new FormatError(
      `${VISION_MODEL_FILES.vocabulary}: not the scene vocabulary this version of the package uses`,
    );
  loadWeights(model, files);
  return model;
}

export function loadCocoCaptionerFiles(files: ModelFiles, config: Record<string, unknown>): CocoCaptioner {
  const architecture = architectureOf<CocoCaptionerArchitecture>(config);
  const vocabulary = readVocabulary(files);
  const model = wrapFormat('config.json', () => new CocoCaptioner(architecture, vocabulary, { seed: 0 }));
  loadWeights(model, files);
  return model;
}

/** Register `scene-captioner` and `coco-captioner` (idempotent). */
export function registerVisionModelKinds(): void {
  const files = [VISION_MODEL_FILES.weights, VISION_MODEL_FILES.vocabulary];
  if (findModelKind(SCENE_CAPTIONER_KIND)?.package !== VISION_PACKAGE)
    registerModelKind({ kind: SCENE_CAPTIONER_KIND, package: VISION_PACKAGE, files, load: loadSceneCaptionerFiles });
  if (findModelKind(COCO_CAPTIONER_KIND)?.package !== VISION_PACKAGE)
    registerModelKind({ kind: COCO_CAPTIONER_KIND, package: VISION_PACKAGE, files, load: loadCocoCaptionerFiles });
}

registerVisionModelKinds();
