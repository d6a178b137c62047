import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAgent } from '../../src/load/http';
import { MIX, runLoad } from '../../src/load/run';
import { formatSummary, percentile, summarize } from '../../src/load/stats';
import { discoverTargets, type Targets } from '../../src/load/targets';
import { serveSite } from '../../src/server';

describe('the load test', () => {
  const root = mkdtempSync(join(tmpdir(), 'demo-site-load-'));
  const landing = join(root, 'landing');
  const app = join(root, 'app');
  let url = '';
  let close: () => void = () => {};
  let targets: Targets;
  const agent = clientAgent(8);

  beforeAll(async () => {
    mkdirSync(landing, { recursive: true });
    mkdirSync(join(app, '_next', 'static', 'chunks'), { recursive: true });
    mkdirSync(join(app, 'models', 'm'), { recursive: true });
    writeFileSync(join(landing, 'index.html'), '<a href="/demo">Demo</a>');
    writeFileSync(join(landing, '404.html'), '<h1>Not found</h1>');
    writeFileSync(
      join(app, 'index.html'),
      '<script src="/demo/_next/static/chunks/main-1.js"></script><a href="/demo/other">Other</a><a href="/">all</a>',
    );
    writeFileSync(join(app, 'other.html'), '<h1>other</h1>');
    writeFileSync(join(app, '_next', 'static', 'chunks', 'main-1.js'), 'console.log(1)');
    const weights = Buffer.alloc(3_000_000);
    for (let i = 0; i < weights.length; i++) weights[i] = (i * 31) & 255;
    writeFileSync(join(app, 'models', 'm', 'model.safetensors'), weights);
    writeFileSync(
      join(app, 'models', 'manifest.json'),
      JSON.stringify({ models: [{ name: 'm', files: ['model.safetensors'] }] }),
    );
    const started = await serveSite({ root: landing, mounts: [{ prefix: '/demo', dir: app }], port: 0 });
    url = started.url;
    close = () => started.server.close();
    targets = await discoverTargets(url, agent);
  });

  afterAll(() => {
    agent.destroy();
    close();
  });

  it('finds the pages, chunks, manifests and model files by crawling from the landing page', () => {
    expect(targets.pages.sort()).toEqual(['/', '/demo', '/demo/other']);
    expect(targets.chunks).toEqual(['/demo/_next/static/chunks/main-1.js']);
    expect(targets.manifests).toEqual(['/demo/models/manifest.json']);
    expect(targets.modelFiles.map((f) => [f.url, f.bytes.length])).toEqual([
      ['/demo/models/m/model.safetensors', 3_000_000],
    ]);
    expect(targets.missing).toContain('/demo/no-such-page');
  });

  it('runs every kind of request against the site with no failure, and reports throughput and latency', async () => {
    const even = Object.fromEntries(Object.keys(MIX).map((k) => [k, 1])) as typeof MIX;
    const samples = await runLoad({ targets, agent, clients: 8, durationMs: 1500, seed: 3, mix: even });
    const summary = summarize(samples, 1.5);
    expect(summary.failureExamples).toEqual([]);
    expect(summary.failures).toBe(0);
    expect(Object.keys(summary.byKind).sort()).toEqual(
      ['abandon', 'chunk', 'manifest', 'model', 'model-range', 'not-found', 'page', 'revalidate'].sort(),
    );
    expect(summary.latency.p50).toBeLessThanOrEqual(summary.latency.p99);
    expect(formatSummary(summary)).toMatch(/^requests +\d+ in 1\.5 s \(\d+\/s\)/);
  });

  it('counts wrong answers as failures: a server that ignores Range and answers 200 to everything', async () => {
    const careless = createServer((req, res) => {
      const file = targets.modelFiles[0];
      const body = req.url === file?.url ? file.bytes : Buffer.from('<h1>hello</h1>');
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => careless.listen(0, '127.0.0.1', r));
    const address = careless.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const samples = await runLoad({ targets: { ...targets, origin }, agent, clients: 4, durationMs: 800, seed: 5 });
    careless.close();
    const summary = summarize(samples, 0.8);
    expect(summary.byKind['not-found']?.failures).toBe(summary.byKind['not-found']?.requests);
    const messages = summary.failureExamples.map((f) => f.message).join('\n');
    expect(messages).toContain('status 200: the server ignores Range');
    expect(messages).toContain('status 200, expected 404');
    expect(messages).toContain('status 200, expected 304');
    expect(formatSummary(summary)).toContain('FAILED ×');
  });

  it('takes percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([
      50, 95, 99, 100,
    ]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
