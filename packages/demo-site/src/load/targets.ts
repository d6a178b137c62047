// What the load test asks for, found by crawling the site as a browser would: the landing page, each app's pages
// (from the landing cards and the apps' navigation), the hashed chunks their HTML loads, each app's model manifest
// and model files (with their sizes, validators and bytes, to check ranges against), and paths that must be 404.
import type { Agent } from 'node:http';
import { fetchTimed } from './http';

export interface ModelFile {
  url: string;
  bytes: Buffer;
  etag: string;
}

export interface Targets {
  origin: string;
  /** HTML pages: the landing page and every app page. */
  pages: string[];
  /** Hashed build assets (/_next/static/…) the pages load. */
  chunks: string[];
  /** Each app's models/manifest.json that exists. */
  manifests: string[];
  /** Every file of every shipped model, with its content (for range checks) and ETag (for conditional requests). */
  modelFiles: ModelFile[];
  /** Paths that must answer 404. */
  missing: string[];
}

const attribute = (html: string, name: 'href' | 'src') =>
  [...html.matchAll(new RegExp(`${name}="([^"]+)"`, 'g'))].map((m) => (m[1] as string).replace(/&amp;/g, '&'));

async function getOk(origin: string, path: string, agent: Agent): Promise<Buffer> {
  const r = await fetchTimed(`${origin}${path}`, { agent });
  if (r.status !== 200) throw new Error(`load test: ${path} answered ${r.status} while crawling the site`);
  return r.body;
}

/** Crawl the site at `origin` (e.g. http://127.0.0.1:3000) for the load test's targets. */
export async function discoverTargets(origin: string, agent: Agent): Promise<Targets> {
  const landing = (await getOk(origin, '/', agent)).toString('utf8');
  const apps = [...new Set(attribute(landing, 'href').filter((h) => /^\/[a-z0-9][a-z0-9-]*$/.test(h)))];
  if (apps.length === 0) throw new Error(`load test: the landing page of ${origin} links no app`);
  const pages = new Set<string>(['/']);
  const chunks = new Set<string>();
  const manifests: string[] = [];
  const modelFiles: ModelFile[] = [];
  for (const app of apps) {
    const html = (await getOk(origin, app, agent)).toString('utf8');
    pages.add(app);
    const links = [...attribute(html, 'href'), ...attribute(html, 'src')];
    for (const link of links) {
      const path = link.split(/[?#]/)[0] as string;
      if (path.startsWith(`${app}/_next/static/`)) chunks.add(path);
      else if (path.startsWith(`${app}/`) && !/\.[a-z0-9]+$/i.test(path)) pages.add(path);
    }
    for (const page of [...pages].filter((p) => p.startsWith(`${app}/`))) await getOk(origin, page, agent);
    const manifest = await fetchTimed(`${origin}${app}/models/manifest.json`, { agent });
    if (manifest.status !== 200) continue;
    manifests.push(`${app}/models/manifest.json`);
    const { models } = JSON.parse(manifest.body.toString('utf8')) as { models: { name: string; files: string[] }[] };
    for (const model of models) {
      for (const file of model.files) {
        const url = `${app}/models/${model.name}/${file}`;
        const r = await fetchTimed(`${origin}${url}`, { agent });
        if (r.status !== 200) throw new Error(`load test: ${url} (in the manifest) answered ${r.status}`);
        modelFiles.push({ url, bytes: r.body, etag: String(r.headers.etag ?? '') });
      }
    }
  }
  const missing = [
    '/no-such-demo',
    ...apps.flatMap((a) => [`${a}/no-such-page`, `${a}/_next/static/chunks/no-such-chunk.js`, `${a}/models/x/y`]),
    '/%2e%2e/%2e%2e/etc/passwd',
  ];
  return { origin, pages: [...pages], chunks: [...chunks], manifests, modelFiles, missing };
}
