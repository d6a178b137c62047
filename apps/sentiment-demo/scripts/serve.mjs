#!/usr/bin/env node
// Serves the static export in out/ (what `next build` writes with output: 'export'). `next start` does not serve
// static exports, and the demo needs nothing but files: every model runs in the visitor's browser.
//
//   node scripts/serve.mjs [--port 3000] [--host 127.0.0.1] [--dir out]     (PORT and HOST env work too)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.safetensors': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
};

/** The file under root that a URL path names: the file itself, `<path>.html`, or `<path>/index.html`; else null. */
export function resolveStaticPath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(base, '.' + normalize('/' + decoded));
  if (target !== base && !target.startsWith(base + sep)) return null;
  for (const candidate of [target, `${target}.html`, join(target, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * Start a static file server for `dir`. Resolves with the listening server and its URL once it accepts
 * connections; port 0 picks a free port.
 */
export function serveStatic({ dir, port = 3000, host = '127.0.0.1', log = false }) {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) {
    return Promise.reject(new Error(`serve: ${root}/index.html not found; run \`pnpm --filter sentiment-demo build\` first`));
  }
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticPath(root, req.url ?? '/');
    const status = file ? 200 : 404;
    const path = file ?? join(root, '404.html');
    if (log) console.log(`${status} ${req.method} ${req.url}`);
    if (!existsSync(path)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const headers = {
      'content-type': MIME[extname(path)] ?? 'application/octet-stream',
      'content-length': statSync(path).size,
      // Hashed build assets never change; everything else (pages, model files) is revalidated.
      'cache-control': req.url?.startsWith('/_next/static/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    res.writeHead(status, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({ server, url: `http://${shownHost}:${address.port}` });
    });
  });
}

function parseArgs(argv) {
  const args = { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1', dir: 'out' };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (key === '--port') args.port = Number(value);
    else if (key === '--host') args.host = value;
    else if (key === '--dir') args.dir = value;
    else throw new Error(`serve: unknown option ${argv[i]} (expected --port, --host, --dir)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error(`serve: bad port ${args.port}`);
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDir = fileURLToPath(new URL('..', import.meta.url));
  try {
    const args = parseArgs(process.argv.slice(2));
    const { url } = await serveStatic({ dir: resolve(appDir, args.dir), port: args.port, host: args.host, log: !!process.env.SERVE_LOG });
    console.log(`sentiment-demo: serving ${args.dir}/ at ${url}  (sentiment: ${url}/  next word: ${url}/next-word)`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
