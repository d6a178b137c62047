// For an app's vitest globalSetup: build the apps under test, write the landing page for them and serve everything
// through the one site server on a free localhost port. Tests read the URL with inject('siteUrl') and the browser
// with inject('chromiumPath') (types in @recurrent/demo-kit/e2e). Skipped when there is no chromium (the test file
// then says why, or fails in CI). E2E_SKIP_BUILD=1 reuses apps already built.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { findChromium } from '@recurrent/demo-kit/e2e';
import { readDemoApp, type DemoApp } from '@recurrent/demo-kit/demo-meta';
import type { TestProject } from 'vitest/node';
import { buildApp } from './build';
import { writeLanding } from './landing';
import { serveSite } from './server';

export interface SiteSetupOptions {
  /** Folders of the apps to build and serve. */
  apps: string[];
  /** Where build logs go (the calling app's test-artifacts/). */
  logDir: string;
}

export async function setupSite(
  project: TestProject,
  options: SiteSetupOptions,
): Promise<(() => Promise<void>) | undefined> {
  const chromium = findChromium();
  project.provide('chromiumPath', chromium ?? '');
  project.provide('siteUrl', '');
  if (!chromium) return undefined;
  const demos: (DemoApp & { outDir: string })[] = [];
  for (const dir of options.apps.map((a) => resolve(a))) {
    const demo = readDemoApp(dir);
    if (!demo) throw new Error(`e2e setup: ${dir}/demo.json is missing`);
    const outDir = join(dir, 'out');
    if (process.env.E2E_SKIP_BUILD === '1' && existsSync(join(outDir, 'index.html'))) {
      console.log(`e2e setup: E2E_SKIP_BUILD=1, serving the existing ${basename(dirname(outDir))}/out/`);
    } else {
      buildApp(dir, options.logDir, `${basename(dir)}-build`);
    }
    demos.push({ ...demo, outDir });
  }
  const landing = mkdtempSync(join(tmpdir(), 'demo-site-'));
  writeLanding(landing, demos);
  const { server, url } = await serveSite({
    root: landing,
    mounts: demos.map((d) => ({ prefix: d.path, dir: d.outDir })),
    port: 0,
  });
  project.provide('siteUrl', url);
  return () => new Promise<void>((done) => server.close(() => done()));
}
