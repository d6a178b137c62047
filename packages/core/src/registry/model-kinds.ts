import { describeValue, FormatError, shortText, ValueError } from '../errors.js';
import { withAllocationBudget } from '../tensor/allocation-budget.js';

/** The content of one file of a saved model: bytes, text, or JSON already parsed. */
export type ModelFile = Uint8Array | ArrayBuffer | string | Record<string, unknown>;
/** A saved model directory in memory: file name → content (e.g. fetched in a browser). */
export type ModelFiles = Readonly<Record<string, ModelFile>>;

export const MODEL_CONFIG_FILE = 'config.json';

/** How to load one kind of saved model (the `kind` in its config.json). */
export interface ModelKind<M = unknown> {
  kind: string;
  /** The package that provides it, e.g. '@recurrent/text' (named in errors). */
  package: string;
  /** The files a saved model of this kind holds besides config.json that `load` reads, e.g. model.safetensors. */
  files: readonly string[];
  /** Rebuild the model; `config` is config.json parsed. Validate everything; errors should name the file. */
  load(files: ModelFiles, config: Record<string, unknown>): M;
}

const REGISTRY_KEY = Symbol.for('@recurrent/core/model-kinds');

/** One registry per process even when two copies of core are loaded (source and dist, or two bundles). */
function registry(): Map<string, ModelKind> {
  const g = globalThis as Record<symbol, Map<string, ModelKind> | undefined>;
  let r = g[REGISTRY_KEY];
  if (!r) {
    r = new Map();
    g[REGISTRY_KEY] = r;
  }
  return r;
}

/**
 * Register a model kind (a domain package does this when imported). Registering a kind again from the same package
 * replaces it; a kind already registered by another package is a ValueError.
 */
export function registerModelKind<M>(kind: ModelKind<M>): void {
  if (typeof kind.kind !== 'string' || kind.kind === '')
    throw new ValueError('registerModelKind: kind must be a non-empty string');
  const existing = registry().get(kind.kind);
  if (existing && existing.package !== kind.package) {
    throw new ValueError(
      `registerModelKind: kind '${kind.kind}' is already registered by ${existing.package} (now ${kind.package})`,
    );
  }
  registry().set(kind.kind, kind as ModelKind);
}

/** Every registered model kind, in registration order. */
export function modelKinds(): readonly ModelKind[] {
  return [...registry().values()];
}

/** The registered kind, or undefined. */
export function findModelKind(kind: string): ModelKind | undefined {
  return registry().get(kind);
}

/** "sentiment, language-model (@recurrent/text); image-captioner (@recurrent/vision)" or "none". */
export function describeModelKinds(): string {
  const byPackage = new Map<string, string[]>();
  for (const k of modelKinds()) byPackage.set(k.package, [...(byPackage.get(k.package) ?? []), k.kind]);
  if (byPackage.size === 0) return 'none';
  return [...byPackage].map(([pkg, kinds]) => `${kinds.join(', ')} (${pkg})`).join('; ');
}

/** The registered kind named by a parsed config.json; FormatError saying what is registered (and what to import). */
export function modelKindOf(config: Record<string, unknown>, source = MODEL_CONFIG_FILE): ModelKind {
  const kind = config.kind;
  if (typeof kind !== 'string')
    throw new FormatError(`${source}: "kind" must be a string naming the model kind, got ${describeValue(kind)}`);
  const found = findModelKind(kind);
  if (found) return found;
  const pkg = typeof config.package === 'string' ? shortText(config.package) : null;
  const hint = pkg ? `; this model comes from ${pkg}: import '${pkg}' (or its node entry) to register its kinds` : '';
  throw new FormatError(
    `${source}: "kind" is "${shortText(kind)}", which no imported package registers ` +
      `(registered: ${describeModelKinds()})${hint}`,
  );
}

export function fileBytes(files: ModelFiles, name: string): Uint8Array {
  const f = files[name];
  if (f === undefined) throw new FormatError(`${name}: missing`);
  if (f instanceof Uint8Array) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  if (f instanceof ArrayBuffer) return new Uint8Array(f);
  if (typeof f === 'string') return new TextEncoder().encode(f);
  throw new FormatError(`${name}: expected bytes, got a parsed object`);
}

export function fileText(files: ModelFiles, name: string): string {
  const f = files[name];
  if (f === undefined) throw new FormatError(`${name}: missing`);
  if (typeof f === 'string') return f;
  if (f instanceof Uint8Array || f instanceof ArrayBuffer) return new TextDecoder().decode(f);
  return JSON.stringify(f);
}

/** A file as JSON (text is parsed; a parsed object is returned as it is). FormatError naming the file. */
export function fileJson(files: ModelFiles, name: string): unknown {
  const f = files[name];
  if (f !== undefined && typeof f === 'object' && !(f instanceof Uint8Array) && !(f instanceof ArrayBuffer)) return f;
  const text = fileText(files, name);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${name}: not valid JSON (${(e as Error).message})`);
  }
}

/** config.json of in-memory model files, parsed (FormatError when missing, not JSON or not an object). */
export function readModelConfig(files: ModelFiles): Record<string, unknown> {
  const json = fileJson(files, MODEL_CONFIG_FILE);
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new FormatError(`${MODEL_CONFIG_FILE}: must be a JSON object`);
  return json as Record<string, unknown>;
}

/**
 * Load a saved model from its files in memory (browser-safe): config.json's `kind` picks the registered loader.
 * An unknown kind is a FormatError listing the registered kinds and their packages.
 */
export function loadModelFromFiles<M = unknown>(files: ModelFiles): M {
  const config = readModelConfig(files);
  const kind = modelKindOf(config);
  for (const name of kind.files)
    if (files[name] === undefined)
      throw new FormatError(
        `${name}: missing (a "${kind.kind}" model holds ${[MODEL_CONFIG_FILE, ...kind.files].join(', ')})`,
      );
  return loadWithinFileBudget(kind, files, config) as M;
}

/** Tensor elements a model load may allocate per byte of its files, and in any case (see loadWithinFileBudget). */
export const LOAD_ELEMENTS_PER_FILE_BYTE = 4;
export const LOAD_ELEMENTS_MIN = 2 ** 22;

function fileSize(f: ModelFile): number {
  if (f instanceof Uint8Array || f instanceof ArrayBuffer) return f.byteLength;
  return typeof f === 'string' ? f.length : 0;
}

/** A model's config declares more than its files can hold (withFileSizeBudget). */
export class ModelSizeError extends FormatError {}

/**
 * Run `fn` (a model's construction) with its tensor allocations bounded by the size of the model's files: 4 values
 * per byte, at least 4M. The weights of every parameter are in the files, so an architecture that declares sizes far
 * beyond them (a hidden size of 2^31 in config.json) is a FormatError before the memory is asked for. `what` names
 * the model in the message ("sentiment" model).
 */
export function withFileSizeBudget<T>(fileBytes: number, what: string, fn: () => T): T {
  const budget = Math.max(LOAD_ELEMENTS_MIN, LOAD_ELEMENTS_PER_FILE_BYTE * fileBytes);
  return withAllocationBudget(
    budget,
    (requested) =>
      new ModelSizeError(
        `the ${what} model it describes needs at least ${requested} tensor values, more than its ${fileBytes} bytes ` +
          `of files can hold (limit ${budget}); is a size in "architecture" too large?`,
      ),
    fn,
  );
}

/** `kind.load` under withFileSizeBudget; the error names config.json. */
export function loadWithinFileBudget(kind: ModelKind, files: ModelFiles, config: Record<string, unknown>): unknown {
  const bytes = Object.values(files).reduce((n, f) => n + fileSize(f), 0);
  try {
    return withFileSizeBudget(bytes, `"${kind.kind}"`, () => kind.load(files, config));
  } catch (e) {
    if (e instanceof ModelSizeError) throw new ModelSizeError(`${MODEL_CONFIG_FILE}: ${e.message}`);
    throw e;
  }
}
