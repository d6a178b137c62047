import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType } from '../../src/mime';
import {
  IMMUTABLE,
  parseRange,
  pathSegments,
  resolveRequest,
  REVALIDATE,
  serveSite,
  type SiteLayout,
} from '../../src/server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request whose target is sent exactly as written (no client-side normalisation). */
function get(url: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.path = path;
    req.on('error', reject);
    req.end();
  });
}

/** The status line for a raw request line (for targets node's client refuses to send, like a raw backslash). */
function rawStatus(url: string, target: string): Promise<{ status: number; response: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (response += c));
    socket.on('end', () => resolve({ status: Number(response.split(' ')[1]), response }));
    socket.on('error', reject);
  });
}

/** Size of the file the abort test leaves mid-download: far more than the socket buffers hold. */
const BIG = 16 * 1024 * 1024;

/** Open file descriptors of this process (Linux), or null where /proc is missing. */
const openFiles = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : null);

/** Start downloading `path`, then drop the connection after the first chunk of the body arrives. */
function abortMidDownload(url: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve() : reject(e)));
    req.end();
  });
}

describe('the site server', () => {
  const root = mkdtempSync(join(tmpdir(), 'demo-site-'));
  const landing = join(root, 'landing');
  const app = join(root, 'apps', 'sentiment-demo', 'out');
  const layout: SiteLayout = { root: landing, mounts: [{ prefix: '/sentiment', dir: app }] };
  let url = '';
  let close: () => void = () => {};

  beforeAll(async () => {
    mkdirSync(join(landing, 'pictures'), { recursive: true });
    writeFileSync(join(landing, 'index.html'), '<h1>all demos</h1>');
    writeFileSync(join(landing, '404.html'), '<h1>site 404</h1>');
    writeFileSync(join(landing, 'pictures', 'sentiment.svg'), '<svg/>');
    mkdirSync(join(app, '_next', 'static', 'chunks'), { recursive: true });
    mkdirSync(join(app, 'models', 'sst2'), { recursive: true });
    mkdirSync(join(app, 'docs'), { recursive: true });
    mkdirSync(join(app, 'empty-dir'), { recursive: true });
    writeFileSync(join(app, 'index.html'), '<h1>sentiment</h1>');
    writeFileSync(join(app, 'next-word.html'), '<h1>next word</h1>');
    writeFileSync(join(app, 'docs', 'index.html'), '<h1>docs</h1>');
    writeFileSync(join(app, '404.html'), '<h1>app 404</h1>');
    writeFileSync(join(app, '_next', 'static', 'chunks', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(join(app, '_next', 'static', 'chunks', 'kernels.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(app, '_next', 'static', 'chunks', 'app.css'), 'body{}');
    writeFileSync(join(app, 'models', 'sst2', 'model.safetensors'), 'weights');
    writeFileSync(join(app, 'models', 'sst2', 'big.safetensors'), Buffer.alloc(BIG, 7));
    writeFileSync(join(app, 'models', 'manifest.json'), '{"models":[]}');
    writeFileSync(join(app, 'song.mid'), 'MThd');
    writeFileSync(join(app, 'icon.png'), 'png');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'apps', 'secret.txt'), 'secret');
    symlinkSync(join(root, 'secret.txt'), join(app, 'link.txt'));
    const started = await serveSite({ ...layout, port: 0 });
    url = started.url;
    close = () => started.server.close();
  });

  afterAll(() => close());

  it('serves the landing page at / and each app under its path, with or without a trailing slash', async () => {
    expect(await get(url, '/')).toMatchObject({ status: 200, body: '<h1>all demos</h1>' });
    expect(await get(url, '/index.html')).toMatchObject({ status: 200, body: '<h1>all demos</h1>' });
    expect(await get(url, '/sentiment')).toMatchObject({ status: 200, body: '<h1>sentiment</h1>' });
    expect(await get(url, '/sentiment/')).toMatchObject({ status: 200, body: '<h1>sentiment</h1>' });
    expect(await get(url, '/sentiment/next-word')).toMatchObject({ status: 200, body: '<h1>next word</h1>' });
    expect(await get(url, '/sentiment/next-word/')).toMatchObject({ status: 200, body: '<h1>next word</h1>' });
    expect(await get(url, '/sentiment/next-word?x=1#y')).toMatchObject({ status: 200, body: '<h1>next word</h1>' });
    expect(await get(url, '/sentiment/docs')).toMatchObject({ status: 200, body: '<h1>docs</h1>' });
    expect(await get(url, '/sentiment/docs/')).toMatchObject({ status: 200, body: '<h1>docs</h1>' });
  });

  it('answers each kind of file with its content type', async () => {
    const type = async (path: string) => (await get(url, path)).headers['content-type'];
    expect(await type('/sentiment')).toBe('text/html; charset=utf-8');
    expect(await type('/sentiment/_next/static/chunks/main-abc123.js')).toBe('text/javascript; charset=utf-8');
    expect(await type('/sentiment/_next/static/chunks/app.css')).toBe('text/css; charset=utf-8');
    expect(await type('/sentiment/_next/static/chunks/kernels.wasm')).toBe('application/wasm');
    expect(await type('/sentiment/models/sst2/model.safetensors')).toBe('application/octet-stream');
    expect(await type('/sentiment/models/manifest.json')).toBe('application/json; charset=utf-8');
    expect(await type('/sentiment/song.mid')).toBe('audio/midi');
    expect(await type('/sentiment/icon.png')).toBe('image/png');
    expect(await type('/pictures/sentiment.svg')).toBe('image/svg+xml');
    expect(contentType('x.MIDI')).toBe('audio/midi');
    expect(contentType('noextension')).toBe('application/octet-stream');
    expect(contentType('dir.d/file')).toBe('application/octet-stream');
    const model = await get(url, '/sentiment/models/sst2/model.safetensors');
    expect(model.body).toBe('weights');
    expect(model.headers['content-length']).toBe('7');
    expect(model.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed build assets for a year and revalidates pages and models (304 on a matching ETag)', async () => {
    const asset = await get(url, '/sentiment/_next/static/chunks/main-abc123.js');
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect((await get(url, '/sentiment')).headers['cache-control']).toBe(REVALIDATE);
    expect((await get(url, '/')).headers['cache-control']).toBe('no-cache');
    const model = await get(url, '/sentiment/models/sst2/model.safetensors');
    expect(model.headers['cache-control']).toBe('no-cache');
    const etag = String(model.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await get(url, '/sentiment/models/sst2/model.safetensors', 'GET', { 'if-none-match': etag });
    expect(again).toMatchObject({ status: 304, body: '' });
    expect((await get(url, '/sentiment/_next/static/x.js')).headers['cache-control'], 'a 404 is never cached').toBe(
      'no-cache',
    );
  });

  it('answers a Range request with 206 and that part, 416 past the end, the whole file for other ranges', async () => {
    const path = '/sentiment/models/sst2/model.safetensors'; // "weights"
    const part = await get(url, path, 'GET', { range: 'bytes=1-3' });
    expect(part).toMatchObject({ status: 206, body: 'eig' });
    expect(part.headers['content-range']).toBe('bytes 1-3/7');
    expect(part.headers['content-length']).toBe('3');
    expect(part.headers['accept-ranges']).toBe('bytes');
    expect(await get(url, path, 'GET', { range: 'bytes=4-' })).toMatchObject({ status: 206, body: 'hts' });
    expect(await get(url, path, 'GET', { range: 'bytes=-2' })).toMatchObject({ status: 206, body: 'ts' });
    expect(await get(url, path, 'GET', { range: 'bytes=5-100' })).toMatchObject({ status: 206, body: 'ts' });
    const past = await get(url, path, 'GET', { range: 'bytes=7-' });
    expect(past).toMatchObject({ status: 416, body: '' });
    expect(past.headers['content-range']).toBe('bytes */7');
    expect(await get(url, path, 'GET', { range: 'bytes=0-1,3-4' }), 'several ranges: the whole file').toMatchObject({
      status: 200,
      body: 'weights',
    });
    expect(await get(url, path, 'GET', { range: 'lines=1-2' })).toMatchObject({ status: 200, body: 'weights' });
    const head = await get(url, path, 'HEAD', { range: 'bytes=0-3' });
    expect(head).toMatchObject({ status: 206, body: '' });
    expect(head.headers['content-length']).toBe('4');
    const lastModified = String(part.headers['last-modified']);
    expect(await get(url, path, 'GET', { range: 'bytes=0-2', 'if-range': lastModified })).toMatchObject({
      status: 206,
      body: 'wei',
    });
    const changed = await get(url, path, 'GET', { range: 'bytes=0-2', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(changed, 'If-Range of another version: the whole file').toMatchObject({ status: 200, body: 'weights' });
    expect(parseRange('bytes=0-0', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 10)).toBe('none');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange(undefined, 10)).toBe('none');
  });

  it('answers 304 to If-Modified-Since when the file is not newer, and to any of several ETags', async () => {
    const path = '/sentiment/models/sst2/model.safetensors';
    const first = await get(url, path);
    const lastModified = String(first.headers['last-modified']);
    expect(await get(url, path, 'GET', { 'if-modified-since': lastModified })).toMatchObject({ status: 304 });
    const before = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect(await get(url, path, 'GET', { 'if-modified-since': before })).toMatchObject({ status: 200 });
    const etag = String(first.headers.etag);
    expect(await get(url, path, 'GET', { 'if-none-match': `"other", ${etag}` })).toMatchObject({ status: 304 });
    expect(
      await get(url, path, 'GET', { 'if-none-match': '"other"', 'if-modified-since': lastModified }),
      'If-None-Match wins over If-Modified-Since',
    ).toMatchObject({ status: 200 });
  });

  it('closes the file of a download the client leaves half-way (no file descriptor leak)', async () => {
    const before = openFiles();
    if (before === null) return; // no /proc: nothing to count
    for (let i = 0; i < 40; i++) await abortMidDownload(url, '/sentiment/models/sst2/big.safetensors');
    await new Promise((r) => setTimeout(r, 300));
    const after = openFiles() as number;
    expect(after - before, 'files left open by 40 abandoned downloads').toBeLessThan(5);
    expect(await get(url, '/sentiment/models/sst2/model.safetensors')).toMatchObject({ status: 200, body: 'weights' });
  });

  it('answers HEAD with the headers and no body, and other methods with 405', async () => {
    const head = await get(url, '/sentiment/next-word', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(String('<h1>next word</h1>'.length));
    expect(await get(url, '/nope', 'HEAD')).toMatchObject({ status: 404, body: '' });
    const post = await get(url, '/sentiment', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers unknown paths with 404 and the app’s or the site’s 404 page', async () => {
    expect(await get(url, '/sentiment/nope')).toMatchObject({ status: 404, body: '<h1>app 404</h1>' });
    expect(await get(url, '/sentiment/empty-dir')).toMatchObject({ status: 404, body: '<h1>app 404</h1>' });
    expect(await get(url, '/translate')).toMatchObject({ status: 404, body: '<h1>site 404</h1>' });
    expect(await get(url, '/sentimental')).toMatchObject({ status: 404, body: '<h1>site 404</h1>' });
    expect(await get(url, '/pictures')).toMatchObject({ status: 404 });
    const page = await get(url, '/nope');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('never serves a file outside the mounted folders, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/sentiment/../secret.txt',
      '/sentiment/../../secret.txt',
      '/sentiment/../../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/secret.txt',
      '/sentiment/%2e%2e/%2e%2e/secret.txt',
      '/sentiment/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/sentiment/..%2f..%2fsecret.txt',
      '/sentiment/..%2F..%2Fsecret.txt',
      '/sentiment/..%5c..%5csecret.txt',
      '/sentiment/%252e%252e/%252e%252e/secret.txt',
      '/sentiment/models%00/../../secret.txt',
      '/sentiment/next-word%00.html',
      '/sentiment/./index.html',
      '/sentiment/link.txt',
      '/%E0%A4%A',
      '//etc/passwd',
      '/sentiment//etc/passwd',
    ];
    for (const path of attempts) {
      const r = await get(url, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('secret');
    }
    for (const target of ['/sentiment/..\\..\\secret.txt', '/sentiment\\..\\..\\secret.txt', 'secret.txt', '*']) {
      const r = await rawStatus(url, target);
      expect([400, 404], target).toContain(r.status);
      expect(r.response, target).not.toContain('secret\n');
      expect(r.response.endsWith('secret'), target).toBe(false);
    }
  });

  it('splits and checks request paths without touching the disk', () => {
    expect(pathSegments('/sentiment/next-word?q=1')).toEqual(['sentiment', 'next-word']);
    expect(pathSegments('/a%20b')).toEqual(['a b']);
    expect(pathSegments('/%2e%2e/x')).toBeNull();
    expect(pathSegments('/a%2fb')).toBeNull();
    expect(pathSegments('/a%5Cb')).toBeNull();
    expect(pathSegments('/a\\b')).toBeNull();
    expect(pathSegments('/a%00')).toBeNull();
    expect(pathSegments('/a%0a')).toBeNull();
    expect(pathSegments('relative')).toBeNull();
    expect(pathSegments('/%ZZ')).toBeNull();
    const r = resolveRequest(layout, '/sentiment/models/sst2/model.safetensors');
    expect(r.status === 200 && r.file).toBe(join(app, 'models', 'sst2', 'model.safetensors'));
  });

  it('refuses a layout with a bad prefix, two mounts on one path or a missing folder', async () => {
    await expect(serveSite({ root: null, mounts: [{ prefix: 'sentiment', dir: app }], port: 0 })).rejects.toThrow(
      'mount prefix',
    );
    await expect(
      serveSite({
        root: null,
        mounts: [
          { prefix: '/a', dir: app },
          { prefix: '/a', dir: app },
        ],
        port: 0,
      }),
    ).rejects.toThrow('two mounts at /a');
    await expect(
      serveSite({ root: null, mounts: [{ prefix: '/a', dir: join(root, 'none') }], port: 0 }),
    ).rejects.toThrow('is not a folder');
  });
});
