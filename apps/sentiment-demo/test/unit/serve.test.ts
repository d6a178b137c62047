import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStaticPath, serveStatic } from '../../scripts/serve.mjs';

/** Raw GET (no URL normalisation by a client library), resolving with status, type and body. */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

describe('serve.mjs', () => {
  const root = mkdtempSync(join(tmpdir(), 'serve-test-'));
  const site = join(root, 'out');
  let url = '';
  let close: () => void = () => {};

  beforeAll(async () => {
    mkdirSync(join(site, 'models', 'sst2'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(site, 'next-word.html'), '<h1>next</h1>');
    writeFileSync(join(site, '404.html'), '<h1>missing</h1>');
    writeFileSync(join(site, 'models', 'sst2', 'model.safetensors'), 'weights');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    const started = await serveStatic({ dir: site, port: 0 });
    url = started.url;
    close = () => started.server.close();
  });

  afterAll(() => close());

  it('serves pages with and without .html, and model files as bytes', async () => {
    expect(await get(url, '/')).toMatchObject({ status: 200, body: '<h1>home</h1>' });
    expect(await get(url, '/next-word')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>next</h1>' });
    expect(await get(url, '/models/sst2/model.safetensors?x=1')).toMatchObject({ status: 200, type: 'application/octet-stream', body: 'weights' });
    expect(await get(url, '/next-word', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('answers 404 with the 404 page, and never leaves the folder', async () => {
    expect(await get(url, '/nope')).toMatchObject({ status: 404, body: '<h1>missing</h1>' });
    expect((await get(url, '/../secret.txt')).body).not.toContain('secret');
    expect((await get(url, '/%2e%2e/secret.txt')).body).not.toContain('secret');
    expect(resolveStaticPath(site, '/%2e%2e/secret.txt')).toBeNull();
    expect(resolveStaticPath(site, '/%E0%A4%A')).toBeNull();
  });

  it('refuses to start without a built index.html', async () => {
    await expect(serveStatic({ dir: join(root, 'empty'), port: 0 })).rejects.toThrow(/index\.html not found/);
  });
});
