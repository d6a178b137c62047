// Builds the app once (copy-models prebuild + `next build --webpack` → out/) and serves the static export on a free
// localhost port for test/e2e.test.ts. Skipped when there is no chromium to drive (the test file then says why).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../scripts/serve.mjs';
import { findChromium } from './browser';

const appDir = fileURLToPath(new URL('..', import.meta.url));

function run(label: string, args: string[]): void {
  const started = Date.now();
  const r = spawnSync(process.execPath, args, {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  mkdirSync(join(appDir, 'test-artifacts'), { recursive: true });
  writeFileSync(join(appDir, 'test-artifacts', `${label}.log`), log);
  if (r.status !== 0) {
    throw new Error(`e2e setup: ${label} failed (exit ${r.status ?? r.signal}); last output:\n${log.split('\n').slice(-40).join('\n')}`);
  }
  console.log(`e2e setup: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const chromium = findChromium();
  project.provide('chromiumPath', chromium ?? '');
  project.provide('baseUrl', '');
  if (!chromium) return undefined;

  const outDir = join(appDir, 'out');
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(outDir, 'index.html'))) {
    console.log('e2e setup: E2E_SKIP_BUILD=1, serving the existing out/');
  } else {
    const next = createRequire(join(appDir, 'package.json')).resolve('next/dist/bin/next');
    run('copy-models', [join(appDir, 'scripts', 'copy-models.mjs')]);
    run('next-build', [next, 'build', '--webpack']);
  }
  const { server, url } = await serveStatic({ dir: outDir, port: 0 });
  project.provide('baseUrl', url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
