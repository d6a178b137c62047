// The load itself: `clients` loops, each sending one request after another for `durationMs`, drawn from a mix like
// a visitor's (pages, the chunks they load, manifests, model files whole or as byte ranges, revalidations, 404s),
// each answer checked: status, Content-Length against the body, a range's bytes against the file's, headers.
import type { Agent } from 'node:http';
import { fetchTimed, type Reply } from './http';
import type { ModelFile, Targets } from './targets';

export type RequestKind =
  | 'page'
  | 'chunk'
  | 'manifest'
  | 'model'
  | 'model-range'
  | 'revalidate'
  | 'not-found'
  | 'abandon';

/** How often each kind is drawn (relative weights): roughly one visit's requests, model downloads included. */
export const MIX: Record<RequestKind, number> = {
  page: 15,
  chunk: 40,
  manifest: 5,
  model: 5,
  'model-range': 10,
  revalidate: 15,
  'not-found': 10,
  /** A model download the visitor leaves after its first bytes (closes the tab, navigates away). */
  abandon: 2,
};

/** Files at least this large are the ones a leaving visitor abandons (more than the socket buffers hold). */
const ABANDONED_MIN_BYTES = 1_000_000;

export interface Sample {
  kind: RequestKind;
  millis: number;
  bytes: number;
  /** Why the answer was wrong, or null when it was right. */
  failure: string | null;
}

export interface LoadOptions {
  targets: Targets;
  agent: Agent;
  clients: number;
  durationMs: number;
  /** Deterministic draws (a seed for the mix and the ranges). */
  seed?: number;
  /** Weights of the request kinds (default MIX). */
  mix?: Record<RequestKind, number>;
  timeoutMs?: number;
}

/** A small seeded generator (mulberry32), so a run's mix can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  kind: RequestKind;
  path: string;
  headers?: Record<string, string>;
  /** Close the connection after the first chunk of the body instead of reading it all. */
  abandon?: boolean;
  check: (r: Reply) => string | null;
}

const header = (r: Reply, name: string) => {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** Status as expected, and a body as long as the Content-Length said. */
function expectStatus(r: Reply, status: number): string | null {
  if (r.status !== status) return `status ${r.status}, expected ${status}`;
  const length = header(r, 'content-length');
  if (length !== undefined && Number(length) !== r.body.length) {
    return `body of ${r.body.length} bytes, Content-Length ${length}`;
  }
  return null;
}

function plan(targets: Targets, mix: Record<RequestKind, number>, next: () => number): Planned {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const kinds = (Object.keys(mix) as RequestKind[]).filter((k) => mix[k] > 0 && available(targets, k));
  const total = kinds.reduce((sum, k) => sum + mix[k], 0);
  const draw = next() * total;
  let below = 0;
  const kind =
    kinds.find((k) => {
      below += mix[k];
      return draw < below;
    }) ?? 'page';
  switch (kind) {
    case 'page':
      return {
        kind,
        path: pick(targets.pages),
        check: (r) => expectStatus(r, 200) ?? (header(r, 'content-type')?.startsWith('text/html') ? null : 'not html'),
      };
    case 'chunk':
      return {
        kind,
        path: pick(targets.chunks),
        check: (r) =>
          expectStatus(r, 200) ?? (header(r, 'cache-control')?.includes('immutable') ? null : 'not cached immutable'),
      };
    case 'manifest':
      return { kind, path: pick(targets.manifests), check: (r) => expectStatus(r, 200) };
    case 'model': {
      const file = pick(targets.modelFiles);
      return { kind, path: file.url, check: (r) => expectStatus(r, 200) ?? sameBytes(r.body, file, 0) };
    }
    case 'model-range': {
      const file = pick(targets.modelFiles.filter((f) => f.bytes.length > 0));
      const size = file.bytes.length;
      const start = Math.floor(next() * size);
      const end = Math.min(size - 1, start + Math.floor(next() * 1_048_576));
      return {
        kind,
        path: file.url,
        headers: { range: `bytes=${start}-${end}` },
        check: (r) => {
          const wrong = expectStatus(r, 206);
          if (wrong) return r.status === 200 ? 'status 200: the server ignores Range' : wrong;
          if (header(r, 'content-range') !== `bytes ${start}-${end}/${size}`) {
            return `Content-Range ${header(r, 'content-range')}, expected bytes ${start}-${end}/${size}`;
          }
          return sameBytes(r.body, file, start);
        },
      };
    }
    case 'revalidate': {
      const file = pick(targets.modelFiles.filter((f) => f.etag !== ''));
      return {
        kind,
        path: file.url,
        headers: { 'if-none-match': file.etag },
        check: (r) => expectStatus(r, 304) ?? (r.body.length === 0 ? null : 'a 304 with a body'),
      };
    }
    case 'not-found':
      return { kind, path: pick(targets.missing), check: (r) => expectStatus(r, 404) };
    case 'abandon': {
      // A large file, so the server is still sending it when the client leaves.
      const large = targets.modelFiles.filter((f) => f.bytes.length >= ABANDONED_MIN_BYTES);
      const file = pick(large.length > 0 ? large : targets.modelFiles.filter((f) => f.bytes.length > 0));
      return {
        kind,
        path: file.url,
        abandon: true,
        check: (r) => (r.status === 200 ? sameBytes(r.body, file, 0) : `status ${r.status}, expected 200`),
      };
    }
  }
}

function available(targets: Targets, kind: RequestKind): boolean {
  if (kind === 'chunk') return targets.chunks.length > 0;
  if (kind === 'manifest') return targets.manifests.length > 0;
  if (kind === 'model' || kind === 'model-range' || kind === 'abandon') {
    return targets.modelFiles.some((f) => f.bytes.length > 0);
  }
  if (kind === 'revalidate') return targets.modelFiles.some((f) => f.etag !== '');
  return true;
}

function sameBytes(body: Buffer, file: ModelFile, start: number): string | null {
  const expected = file.bytes.subarray(start, start + body.length);
  return body.equals(expected) ? null : `bytes differ from ${file.url} at offset ${start}`;
}

/** Run the load; resolves with one sample per request once every client has finished its last one. */
export async function runLoad(options: LoadOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = performance.now() + options.durationMs;
  const client = async (index: number) => {
    const next = random((options.seed ?? 1) * 1_000_003 + index);
    while (performance.now() < deadline) {
      const p = plan(options.targets, options.mix ?? MIX, next);
      const started = performance.now();
      try {
        const r = await fetchTimed(`${options.targets.origin}${p.path}`, {
          agent: options.agent,
          headers: p.headers,
          timeoutMs: options.timeoutMs,
          abandon: p.abandon,
        });
        const failure = p.check(r);
        samples.push({
          kind: p.kind,
          millis: r.millis,
          bytes: r.body.length,
          failure: failure && `${p.path}: ${failure}`,
        });
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        samples.push({ kind: p.kind, millis: performance.now() - started, bytes: 0, failure: `${p.path}: ${why}` });
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return samples;
}
