// The model manifest: models/manifest.json in the app's static export, written at build time by copy-models.mjs,
// listing exactly the models whose files were copied. Pages offer those models; workers fetch their files.
import { FormatError } from '@recurrent/core';
import { basePath, withBasePath } from './base-path';
import { errorMessage, isOutOfMemory, ModelDownloadError } from './errors';
import type { Progress } from './protocol';

/** One entry of models/manifest.json. Apps add their own fields (e.g. the tokenizer type) by extending it. */
export interface ShippedModel {
  /** Folder name under models/ (letters, digits, '_', '-', '.'). */
  name: string;
  /** What the model does, in the app's terms ("sentiment", "language-model", "translation", …). */
  kind: string;
  title: string;
  description: string;
  /** One line about how good it is ("test accuracy 86.1 %"), '' when unknown. */
  metric: string;
  /** The files the browser fetches, under models/<name>/. */
  files: string[];
  /** Their total size. */
  bytes: number;
}

export interface ModelManifest<M extends ShippedModel = ShippedModel> {
  models: M[];
}

const MODEL_NAME = /^[\w-][\w.-]*$/;

/** True for a folder name a model URL may contain (no '/', no '..'). */
export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name) && !name.includes('..');
}

/**
 * Check that `json` is a manifest (a `models` array of entries with the ShippedModel fields) and return it typed;
 * a FormatError names `source`, the entry and the field otherwise.
 */
export function parseManifest<M extends ShippedModel = ShippedModel>(json: unknown, source: string): ModelManifest<M> {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { models?: unknown }).models)) {
    throw new FormatError(`${source}: expected an object with a "models" array`);
  }
  const models = (json as { models: unknown[] }).models;
  const seen = new Set<string>();
  models.forEach((entry, i) => {
    const where = `${source}: models[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new FormatError(`${where} is not an object`);
    const m = entry as Record<string, unknown>;
    for (const field of ['name', 'kind', 'title', 'description', 'metric'] as const) {
      if (typeof m[field] !== 'string')
        throw new FormatError(`${where}.${field}: expected a string, got ${typeof m[field]}`);
    }
    const name = m.name as string;
    if (!isModelName(name)) throw new FormatError(`${where}.name: ${JSON.stringify(name)} is not a folder name`);
    if (seen.has(name)) throw new FormatError(`${where}.name: ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    if (!Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string' && isModelName(f))) {
      throw new FormatError(`${where}.files: expected an array of file names`);
    }
    if (typeof m.bytes !== 'number' || !Number.isFinite(m.bytes) || m.bytes < 0) {
      throw new FormatError(`${where}.bytes: expected a size in bytes, got ${JSON.stringify(m.bytes)}`);
    }
  });
  return json as ModelManifest<M>;
}

/** URL of the manifest under the app's base path. */
export function manifestUrl(base: string = basePath()): string {
  return withBasePath('/models/manifest.json', base);
}

/** URL of one file of a shipped model under the app's base path. */
export function modelFileUrl(model: string, file: string, base: string = basePath()): string {
  if (!isModelName(model)) throw new FormatError(`modelFileUrl: bad model name ${JSON.stringify(model)}`);
  if (!isModelName(file)) throw new FormatError(`modelFileUrl: bad file name ${JSON.stringify(file)}`);
  return withBasePath(`/models/${model}/${file}`, base);
}

/** The app's manifest, fetched and checked. */
export async function fetchManifest<M extends ShippedModel = ShippedModel>(
  fetchImpl: typeof fetch = fetch,
  base: string = basePath(),
): Promise<ModelManifest<M>> {
  const url = manifestUrl(base);
  const res = await fetchImpl(url);
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  return parseManifest<M>(await res.json(), url);
}

/** What fetchModelFiles returns for a file asked for as 'bytes' or 'text'. */
export type FileContents<F extends Record<string, 'bytes' | 'text'>> = {
  [K in keyof F]: F[K] extends 'bytes' ? Uint8Array : string;
};

export interface FetchModelFilesOptions {
  /** Bytes received so far over all the files (total is the sum of their Content-Length, 0 when one is missing). */
  onProgress?: (progress: Progress) => void;
  fetch?: typeof fetch;
  base?: string;
}

/**
 * Fetch files of model `model` (keys are file names under models/<model>/, values say how to return them) in
 * parallel, reporting download progress. A ModelDownloadError names the URL when the server answers an HTTP error
 * ("HTTP 500 (the server failed)"), the connection fails, or a body ends before its Content-Length (cut off).
 */
export async function fetchModelFiles<F extends Record<string, 'bytes' | 'text'>>(
  model: string,
  files: F,
  options: FetchModelFilesOptions = {},
): Promise<FileContents<F>> {
  const fetchImpl = options.fetch ?? fetch;
  const names = Object.keys(files);
  const urls = names.map((file) => modelFileUrl(model, file, options.base ?? basePath()));
  const responses = await Promise.all(
    urls.map(async (url) => {
      let res: Response;
      try {
        res = await fetchImpl(url);
      } catch (e) {
        throw new ModelDownloadError(`could not download ${url}: the connection failed (${errorMessage(e)})`);
      }
      if (!res.ok) throw new ModelDownloadError(`could not load ${url}: ${httpStatusText(res.status)}`);
      return res;
    }),
  );
  const sizes = responses.map(declaredLength);
  const total = sizes.every((s) => s !== null) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : 0;
  let loaded = 0;
  const report = (n: number) => {
    loaded += n;
    options.onProgress?.({ loaded, total });
  };
  const bodies = await Promise.all(
    responses.map(async (res, i) => {
      const url = urls[i] as string;
      const expected = sizes[i] ?? null;
      let body: Uint8Array;
      try {
        body = await readBody(res, report);
      } catch (e) {
        if (isOutOfMemory(e)) throw e;
        throw new ModelDownloadError(`the download of ${url} was cut off: ${errorMessage(e)}`);
      }
      if (expected !== null && body.length !== expected) {
        throw new ModelDownloadError(
          `the download of ${url} was cut off: ${body.length} of ${expected} bytes arrived (try again)`,
        );
      }
      return body;
    }),
  );
  const out: Record<string, Uint8Array | string> = {};
  names.forEach((file, i) => {
    const body = bodies[i] as Uint8Array;
    out[file] = files[file] === 'bytes' ? body : new TextDecoder().decode(body);
  });
  return out as FileContents<F>;
}

/** "HTTP 404 (not found on the server)" — the status with what it means for a visitor. */
export function httpStatusText(status: number): string {
  const meaning =
    status === 404
      ? 'not found on the server'
      : status >= 500
        ? 'the server failed'
        : status === 403 || status === 401
          ? 'the server refused it'
          : 'the server refused the request';
  return `HTTP ${status} (${meaning})`;
}

/** The body length the server declared (null when it did not, or when the body is compressed on the wire). */
function declaredLength(res: Response): number | null {
  const header = res.headers.get('content-length');
  const encoding = res.headers.get('content-encoding');
  if (header === null || (encoding !== null && encoding !== 'identity')) return null;
  const n = Number(header);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The whole body, calling `report(bytes)` as chunks arrive. */
async function readBody(res: Response, report: (bytes: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    report(bytes.length);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    report(value.length);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}
