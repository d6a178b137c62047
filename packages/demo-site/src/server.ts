// The site's static server: the landing page at "/" and each app's static export under its base path ("/sentiment"
// → apps/sentiment-demo/out/), from one port. Plain node:http, no framework: every model runs in the browser, so
// the server only hands out files.
//
// - Only files inside a mounted folder are ever served: a path with "..", "." segments, percent-encoded slashes or
//   backslashes (%2f, %5c), raw backslashes, NUL or control characters, or one that does not decode, is a 404, and a
//   file reached through a symlink must still resolve inside its folder.
// - "/sentiment", "/sentiment/" → index.html; "/x" → x, x.html or x/index.html; "/x/" → x/index.html or x.html.
// - Hashed build assets (/_next/static/) are cached for a year (immutable); everything else (pages, models) is
//   revalidated every time (no-cache) and answered 304 when the ETag (or Last-Modified) still matches.
// - Range requests of one range are answered 206 (a resumed or partial model download), 416 past the end; If-Range
//   with the Last-Modified date. A body is piped with pipeline(), so a client that leaves mid-download closes the file.
import { createReadStream, existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { contentType } from './mime';

/** One app's static export, served under `prefix` ("/sentiment"). */
export interface Mount {
  prefix: string;
  dir: string;
}

export interface SiteLayout {
  /** Folder served at "/" (the landing page); null serves nothing there but the mounts. */
  root: string | null;
  mounts: Mount[];
}

export type Resolution =
  | { status: 200; file: string; stats: Stats; cacheControl: string }
  /** `page` is the 404 page to send (the app's 404.html, else the site's), null for a plain-text answer. */
  | { status: 404; page: string | null };

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const MOUNT_PREFIX = /^\/[a-z0-9][a-z0-9-]*$/;
/** Encoded '/', '\' or NUL, raw '\', and ASCII control characters: never part of a file we serve. */
const FORBIDDEN_RAW = /%2f|%5c|%00|\\|[\u0000-\u001f\u007f]/i;
const FORBIDDEN_DECODED = /[\u0000-\u001f\u007f\\]/;

/** Check the layout once: prefixes like "/sentiment", no two alike, folders that exist. */
export function checkLayout(layout: SiteLayout): void {
  const seen = new Set<string>();
  for (const m of layout.mounts) {
    if (!MOUNT_PREFIX.test(m.prefix))
      throw new Error(`site: mount prefix must look like "/sentiment", got ${JSON.stringify(m.prefix)}`);
    if (seen.has(m.prefix)) throw new Error(`site: two mounts at ${m.prefix}`);
    seen.add(m.prefix);
    if (!existsSync(m.dir) || !statSync(m.dir).isDirectory())
      throw new Error(`site: ${m.dir} (for ${m.prefix}) is not a folder`);
  }
  if (layout.root !== null && (!existsSync(layout.root) || !statSync(layout.root).isDirectory())) {
    throw new Error(`site: root ${layout.root} is not a folder`);
  }
}

/** The decoded path segments of a request target, or null when it is not a plain path inside a folder. */
export function pathSegments(rawUrl: string): string[] | null {
  const raw = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!raw.startsWith('/') || FORBIDDEN_RAW.test(raw)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (FORBIDDEN_DECODED.test(decoded)) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  return segments;
}

/** The file at `relative` under `dir` if it is a regular file that really (after symlinks) lies inside `dir`. */
function fileInside(dir: string, relative: string): { file: string; stats: Stats } | null {
  const base = resolve(dir);
  const file = resolve(base, `.${relative}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    return null;
  }
  if (!stats.isFile()) return null;
  const real = realpathSync(file);
  const realBase = realpathSync(base);
  if (!real.startsWith(realBase + sep)) return null;
  return { file, stats };
}

/** Which file a request target names in `layout`, with its Cache-Control; or the 404 page to answer with. */
export function resolveRequest(layout: SiteLayout, rawUrl: string): Resolution {
  const siteNotFound = layout.root && existsSync(join(layout.root, '404.html')) ? join(layout.root, '404.html') : null;
  const segments = pathSegments(rawUrl);
  if (segments === null) return { status: 404, page: siteNotFound };
  const path = `/${segments.join('/')}`;
  const mount = layout.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
  const dir = mount?.dir ?? layout.root;
  const notFound = (): Resolution => {
    const appNotFound = mount ? join(mount.dir, '404.html') : null;
    return { status: 404, page: appNotFound && existsSync(appNotFound) ? appNotFound : siteNotFound };
  };
  if (dir === null) return notFound();
  const relative = mount ? path.slice(mount.prefix.length) || '/' : path;
  const trimmed = relative.replace(/\/+$/, '');
  const candidates = relative.endsWith('/')
    ? [`${trimmed}/index.html`, `${trimmed}.html`]
    : [relative, `${relative}.html`, `${relative}/index.html`];
  for (const candidate of candidates) {
    if (candidate === '.html') continue; // "/x/" never names a file called ".html"
    const found = fileInside(dir, candidate);
    if (found) {
      const cacheControl = relative.startsWith('/_next/static/') ? IMMUTABLE : REVALIDATE;
      return { status: 200, file: found.file, stats: found.stats, cacheControl };
    }
  }
  return notFound();
}

function etagOf(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

/** The bytes a Range header asks of a `size`-byte file: one range, 'none' to send it whole, 'unsatisfiable' (416). */
export type ByteRange = { start: number; end: number } | 'none' | 'unsatisfiable';

/**
 * Parse a Range header (RFC 9110 §14.1.2) for a `size`-byte file: `bytes=a-b`, `bytes=a-`, `bytes=-n` (the last n).
 * Several ranges, another unit or a malformed header are answered with the whole file ('none', as the RFC allows);
 * a well-formed range starting past the end is 'unsatisfiable'.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return 'none';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'none';
  if (size === 0) return 'unsatisfiable';
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return 'none';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** True when the request's validators say the client's copy is current (answer 304). */
function notModified(req: IncomingMessage, etag: string, stats: Stats): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch === '*' || ifNoneMatch.split(',').some((tag) => weakMatch(tag.trim(), etag));
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(stats.mtimeMs / 1000) * 1000 <= since;
}

const weakMatch = (a: string, b: string) => a.replace(/^W\//, '') === b.replace(/^W\//, '');

/**
 * Send `file` (or `range` of it) as the body, closing the file when the response ends, fails or the client goes
 * away mid-transfer (pipe() would leave the file open), and the connection when the file cannot be read.
 */
function sendFile(res: ServerResponse, file: string, range?: { start: number; end: number }): void {
  pipeline(createReadStream(file, range), res, (error) => {
    if (error && !res.destroyed) res.destroy();
  });
}

function answer(layout: SiteLayout, req: IncomingMessage, res: ServerResponse): number {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return 405;
  }
  const head = req.method === 'HEAD';
  const found = resolveRequest(layout, req.url ?? '/');
  if (found.status === 404) {
    const headers = { 'cache-control': REVALIDATE, 'x-content-type-options': 'nosniff' };
    const page = found.page ? statOrNull(found.page) : null;
    if (!found.page || !page) {
      res
        .writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
        .end(head ? undefined : 'not found\n');
      return 404;
    }
    res.writeHead(404, { ...headers, 'content-type': contentType(found.page), 'content-length': page.size });
    if (head) res.end();
    else sendFile(res, found.page);
    return 404;
  }
  const { stats } = found;
  const etag = etagOf(stats);
  const headers = {
    'content-type': contentType(found.file),
    'cache-control': found.cacheControl,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  };
  if (notModified(req, etag, stats)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  // If-Range: a range of the copy the client holds, else (the file changed) the whole new file.
  const ifRange = req.headers['if-range'];
  const rangeHeader = ifRange === undefined || ifRange === headers['last-modified'] ? req.headers.range : undefined;
  const range = parseRange(rangeHeader, stats.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stats.size}`, 'content-length': 0 }).end();
    return 416;
  }
  if (range !== 'none') {
    res.writeHead(206, {
      ...headers,
      'content-range': `bytes ${range.start}-${range.end}/${stats.size}`,
      'content-length': range.end - range.start + 1,
    });
    if (head) res.end();
    else sendFile(res, found.file, range);
    return 206;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (head) {
    res.end();
    return 200;
  }
  sendFile(res, found.file);
  return 200;
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

export interface ServeOptions extends SiteLayout {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Log one line per request. */
  log?: boolean;
}

/** Start the site server; resolves with it and its URL once it accepts connections. */
export async function serveSite(options: ServeOptions): Promise<{ server: Server; url: string }> {
  const { port = 3000, host = '127.0.0.1', log = false } = options;
  const layout: SiteLayout = { root: options.root, mounts: options.mounts };
  checkLayout(layout);
  const server = createServer((req, res) => {
    const status = answer(layout, req, res);
    if (log) console.log(`${status} ${req.method} ${req.url}`);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({ server, url: `http://${shownHost}:${boundPort}` });
    });
  });
}
