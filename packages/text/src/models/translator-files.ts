import {
  checkStoredDtypes,
  decodeSafetensors,
  type SafetensorsDType,
  describeValue,
  encodeSafetensors,
  fileBytes,
  fileJson,
  FormatError,
  type ModelFiles,
  RecurrentError,
  type Tensor,
} from '@recurrent/core';
import { parseTokenizer, stringifyTokenizer, tokenizerFromJSON, type AnyTokenizer } from '../tokenizers/load.js';
import { BpeTokenizer } from '../tokenizers/bpe.js';
import { checkTranslatorArchitecture, type TranslatorArchitecture } from '../translation/architecture.js';
import { Translator } from '../translation/translator.js';
import { TEXT_PACKAGE } from './package-name.js';

/** The `kind` of a saved translator's config.json. */
export const TRANSLATOR_KIND = 'translator';

/** File names of a saved translator directory. */
export const TRANSLATOR_FILES = {
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  config: 'config.json',
  metrics: 'metrics.json',
} as const;

/** How model.safetensors stores the weights: float32, or float16 (half the size; loaded back as float32). */
export type WeightStorage = 'float32' | 'float16';
export const WEIGHT_STORAGES: readonly WeightStorage[] = ['float32', 'float16'];

/** config.json of a translator. */
export interface TranslatorConfigJson {
  kind: typeof TRANSLATOR_KIND;
  package: typeof TEXT_PACKAGE;
  architecture: TranslatorArchitecture;
  /** The joint source–target BPE tokenizer's file. */
  tokenizer: typeof TRANSLATOR_FILES.tokenizer;
  weights: { file: typeof TRANSLATOR_FILES.weights; dtype: WeightStorage };
  /** Source and target languages, e.g. { source: 'de', target: 'en' } (absent: unknown). */
  languages?: { source: string; target: string };
  training?: Record<string, unknown>;
}

export interface TranslatorFileOptions {
  /** Default 'float32'. */
  storage?: WeightStorage;
  languages?: { source: string; target: string };
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

/** The files of a saved translator in memory (what saveTranslatorDir writes and loadModelFromFiles reads). */
export function translatorFiles(
  model: Translator,
  options: TranslatorFileOptions = {},
): Record<(typeof TRANSLATOR_FILES)[keyof typeof TRANSLATOR_FILES], string | Uint8Array> {
  const storage = options.storage ?? 'float32';
  const state = model.stateDict();
  const config: TranslatorConfigJson = {
    kind: TRANSLATOR_KIND,
    package: TEXT_PACKAGE,
    architecture: model.architecture,
    tokenizer: TRANSLATOR_FILES.tokenizer,
    weights: { file: TRANSLATOR_FILES.weights, dtype: storage },
    ...(options.languages ? { languages: options.languages } : {}),
    ...(options.training ? { training: options.training } : {}),
  };
  return {
    [TRANSLATOR_FILES.weights]: encodeSafetensors(
      state,
      null,
      storage === 'float16' ? { storage: 'F16' } : { dtype: 'float32' },
    ),
    [TRANSLATOR_FILES.tokenizer]: stringifyTokenizer(model.tokenizer),
    [TRANSLATOR_FILES.config]: `${JSON.stringify(config, null, 2)}\n`,
    [TRANSLATOR_FILES.metrics]: `${JSON.stringify(options.metrics ?? {}, null, 2)}\n`,
  };
}

function rethrowAs(source: string, e: unknown): never {
  if (e instanceof FormatError && e.message.startsWith(source)) throw e;
  if (e instanceof RecurrentError) throw new FormatError(`${source}: ${e.message}`);
  throw e;
}

function readTokenizer(files: ModelFiles): BpeTokenizer {
  const name = TRANSLATOR_FILES.tokenizer;
  const file = files[name];
  let tokenizer: AnyTokenizer;
  try {
    if (file === undefined) throw new FormatError(`${name}: missing`);
    tokenizer =
      typeof file === 'string' || file instanceof Uint8Array || file instanceof ArrayBuffer
        ? parseTokenizer(typeof file === 'string' ? file : new TextDecoder().decode(file), name)
        : tokenizerFromJSON(file);
  } catch (e) {
    rethrowAs(name, e);
  }
  if (!(tokenizer instanceof BpeTokenizer))
    throw new FormatError(`${name}: a translator needs a joint BPE tokenizer, got a ${tokenizer.type} tokenizer`);
  return tokenizer;
}

/**
 * The loader of the `translator` kind: config.json (kind, architecture, weights.dtype), tokenizer.json (joint BPE)
 * and model.safetensors (PyTorch names; F32, or F16 read back as float32). Every field, the vocabulary size and
 * every tensor's name, shape and finiteness are checked; a problem is a FormatError naming the file.
 */
export function loadTranslatorFiles(files: ModelFiles, configJson: unknown): Translator {
  const cfgName = TRANSLATOR_FILES.config;
  const raw = configJson ?? fileJson(files, cfgName);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new FormatError(`${cfgName}: must be a JSON object`);
  const c = raw as Record<string, unknown>;
  if (c.kind !== TRANSLATOR_KIND)
    throw new FormatError(`${cfgName}: "kind" must be "${TRANSLATOR_KIND}", got ${describeValue(c.kind)}`);
  let architecture: TranslatorArchitecture;
  try {
    architecture = checkTranslatorArchitecture(c.architecture, `${cfgName} architecture`);
  } catch (e) {
    rethrowAs(cfgName, e);
  }
  const weights = c.weights as { dtype?: unknown } | undefined;
  if (weights !== undefined && !WEIGHT_STORAGES.includes(weights?.dtype as WeightStorage)) {
    throw new FormatError(
      `${cfgName}: weights.dtype must be one of ${WEIGHT_STORAGES.join(', ')}, got ${describeValue(weights?.dtype)}`,
    );
  }
  const tokenizer = readTokenizer(files);
  if (tokenizer.vocabSize !== architecture.vocabSize) {
    throw new FormatError(
      `${cfgName}: architecture.vocabSize is ${architecture.vocabSize} ` +
        `but ${TRANSLATOR_FILES.tokenizer} has ${tokenizer.vocabSize} tokens`,
    );
  }
  let tensors: Record<string, Tensor>;
  let dtypes: Record<string, SafetensorsDType>;
  try {
    ({ tensors, dtypes } = decodeSafetensors(fileBytes(files, TRANSLATOR_FILES.weights), { dtype: 'float32' }));
  } catch (e) {
    rethrowAs(TRANSLATOR_FILES.weights, e);
  }
  let model: Translator;
  try {
    model = new Translator(tokenizer, architecture);
  } catch (e) {
    rethrowAs(cfgName, e);
  }
  try {
    checkStoredDtypes(model, dtypes);
    model.loadStateDict(tensors);
  } catch (e) {
    rethrowAs(TRANSLATOR_FILES.weights, e);
  }
  model.eval();
  return model;
}
