// Which demos the site serves: the apps under apps/ with a demo.json (see @recurrent/demo-kit's README) whose
// static export exists. An app folder that does not exist is simply not listed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDemoApps, type DemoApp } from '@recurrent/demo-kit/demo-meta';
import type { Mount } from './server';

/** The repository root (two levels above this package). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const APPS_DIR = join(REPO_ROOT, 'apps');

export interface BuiltDemo extends DemoApp {
  /** The app's static export (out/ with an index.html). */
  outDir: string;
}

/** Every demo of `appsDir`, split into those built (out/index.html exists) and those not. */
export function findDemos(appsDir: string = APPS_DIR): { built: BuiltDemo[]; unbuilt: DemoApp[] } {
  const built: BuiltDemo[] = [];
  const unbuilt: DemoApp[] = [];
  for (const demo of readDemoApps(appsDir)) {
    const outDir = join(demo.dir, 'out');
    if (existsSync(join(outDir, 'index.html'))) built.push({ ...demo, outDir });
    else unbuilt.push(demo);
  }
  return { built, unbuilt };
}

/** The server's mounts for these demos. */
export function mountsOf(demos: readonly BuiltDemo[]): Mount[] {
  return demos.map((d) => ({ prefix: d.path, dir: d.outDir }));
}
