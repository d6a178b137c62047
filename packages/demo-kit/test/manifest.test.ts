import { FormatError } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { withBasePath } from '../src/base-path';
import { ModelDownloadError } from '../src/errors';
import {
  fetchManifest,
  fetchModelFiles,
  httpStatusText,
  isModelName,
  manifestUrl,
  modelFileUrl,
  parseManifest,
} from '../src/manifest';

const entry = (name: string, extra: object = {}) => ({
  name,
  kind: 'sentiment',
  title: name.toUpperCase(),
  description: '',
  metric: 'test accuracy 85.2 %',
  files: ['config.json', 'model.safetensors'],
  bytes: 1234,
  ...extra,
});

describe('manifest', () => {
  it('accepts a manifest and keeps the app’s extra fields', () => {
    const m = parseManifest<ReturnType<typeof entry> & { tokenizer: string }>(
      { models: [entry('sst2', { tokenizer: 'word' })] },
      'manifest.json',
    );
    expect(m.models[0]?.tokenizer).toBe('word');
    expect(parseManifest({ models: [] }, 'm').models).toEqual([]);
  });

  it('rejects malformed manifests with a FormatError naming the entry and field', () => {
    const bad = (json: unknown) => () => parseManifest(json, '/sentiment/models/manifest.json');
    expect(bad([])).toThrow(FormatError);
    expect(bad({ models: 3 })).toThrow('/sentiment/models/manifest.json: expected an object with a "models" array');
    expect(bad({ models: [entry('a', { title: 7 })] })).toThrow('models[0].title: expected a string, got number');
    expect(bad({ models: [entry('a'), entry('a')] })).toThrow('models[1].name: "a" is listed twice');
    expect(bad({ models: [entry('../x')] })).toThrow('is not a folder name');
    expect(bad({ models: [entry('a', { files: ['a/../b'] })] })).toThrow('models[0].files');
    expect(bad({ models: [entry('a', { bytes: -1 })] })).toThrow('models[0].bytes');
    expect(bad({ models: [null] })).toThrow('models[0] is not an object');
  });

  it('builds URLs under the app’s base path and refuses names that could leave models/', () => {
    expect(manifestUrl('/sentiment')).toBe('/sentiment/models/manifest.json');
    expect(manifestUrl('')).toBe('/models/manifest.json');
    expect(modelFileUrl('sst2', 'model.safetensors', '/sentiment')).toBe('/sentiment/models/sst2/model.safetensors');
    expect(() => modelFileUrl('..', 'x', '')).toThrow(FormatError);
    expect(() => modelFileUrl('a', '../../secret', '')).toThrow(FormatError);
    expect(isModelName('charlm_S.v2')).toBe(true);
    expect(isModelName('a/b') || isModelName('') || isModelName('.hidden..')).toBe(false);
    expect(() => withBasePath('models', '/x')).toThrow('must start with "/"');
  });

  it('fetches and checks the manifest, naming the URL on an HTTP error', async () => {
    const ok = (async () => new Response(JSON.stringify({ models: [entry('imdb')] }))) as typeof fetch;
    expect((await fetchManifest(ok, '/sentiment')).models.map((m) => m.name)).toEqual(['imdb']);
    const missing = (async () => new Response('no', { status: 404 })) as typeof fetch;
    await expect(fetchManifest(missing, '/sentiment')).rejects.toThrow(
      'could not load /sentiment/models/manifest.json: HTTP 404',
    );
  });

  it('fetches model files in parallel as bytes or text, with progress over their total size', async () => {
    const bodies: Record<string, string> = {
      '/music/models/m/model.safetensors': 'x'.repeat(300),
      '/music/models/m/config.json': '{"kind":"music"}',
    };
    const requested: string[] = [];
    const fake = (async (url: string) => {
      requested.push(url);
      const body = bodies[url];
      return body === undefined
        ? new Response('', { status: 404 })
        : new Response(body, { headers: { 'content-length': String(body.length) } });
    }) as unknown as typeof fetch;
    const progress: [number, number][] = [];
    const files = await fetchModelFiles(
      'm',
      { 'model.safetensors': 'bytes', 'config.json': 'text' },
      { fetch: fake, base: '/music', onProgress: (p) => progress.push([p.loaded, p.total]) },
    );
    expect(files['model.safetensors']).toBeInstanceOf(Uint8Array);
    expect(files['model.safetensors'].length).toBe(300);
    expect(files['config.json']).toBe('{"kind":"music"}');
    expect(requested.sort()).toEqual(Object.keys(bodies).sort());
    expect(progress.at(-1)).toEqual([316, 316]);
    expect(progress.every(([loaded], i) => i === 0 || loaded >= (progress[i - 1] as [number, number])[0])).toBe(true);
    await expect(fetchModelFiles('m', { 'tokenizer.json': 'text' }, { fetch: fake, base: '/music' })).rejects.toThrow(
      'could not load /music/models/m/tokenizer.json: HTTP 404',
    );
  });

  it('says when a model download fails, the server errs, or a body is cut off before its Content-Length', async () => {
    const url = '/sentiment/models/m/model.safetensors';
    const fetchWith = (answer: () => Promise<Response>) =>
      fetchModelFiles(
        'm',
        { 'model.safetensors': 'bytes' },
        { fetch: answer as unknown as typeof fetch, base: '/sentiment' },
      );
    const serverError = fetchWith(async () => new Response('oops', { status: 500 }));
    await expect(serverError).rejects.toThrow(`could not load ${url}: HTTP 500 (the server failed)`);
    await expect(serverError).rejects.toBeInstanceOf(ModelDownloadError);
    await expect(
      fetchWith(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).rejects.toThrow(`could not download ${url}: the connection failed (Failed to fetch)`);
    // The server promised 1,000 bytes and the connection closed after 400 (the stream just ends).
    const short = fetchWith(async () => new Response('x'.repeat(400), { headers: { 'content-length': '1000' } }));
    await expect(short).rejects.toThrow(`the download of ${url} was cut off: 400 of 1000 bytes arrived`);
    // The browser's own error for a body that stopped (ERR_CONTENT_LENGTH_MISMATCH surfaces as a read error).
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new TypeError('network error'));
      },
    });
    await expect(fetchWith(async () => new Response(broken))).rejects.toThrow(
      `the download of ${url} was cut off: network error`,
    );
    // A compressed body is longer than its Content-Length on the wire: not a cut-off.
    const gzipped = fetchWith(
      async () => new Response('x'.repeat(50), { headers: { 'content-length': '20', 'content-encoding': 'gzip' } }),
    );
    expect((await gzipped)['model.safetensors'].length).toBe(50);
    expect(httpStatusText(404)).toBe('HTTP 404 (not found on the server)');
    expect(httpStatusText(403)).toBe('HTTP 403 (the server refused it)');
  });
});

describe('hasKind (useShippedModels filter)', () => {
  it('matches one kind or any of several', async () => {
    const { hasKind } = await import('../src/hooks/useShippedModels');
    const m = { name: 'jsb', kind: 'rnn-nade', title: '', description: '', metric: '', files: [], bytes: 0 };
    expect(hasKind(m, 'rnn-nade')).toBe(true);
    expect(hasKind(m, 'piano-roll-rnn')).toBe(false);
    expect(hasKind(m, ['piano-roll-rnn', 'rnn-nade'])).toBe(true);
    expect(hasKind(m, [])).toBe(false);
  });
});
