import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { midiToNoteSequence } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const modelDir = join(here, '..', 'models', 'jsb');
// A directory inside the checkout without a package.json: pnpm runs the root script, paths stay relative to here.
const standHere = mkdtempSync(join(repoRoot, '.music-cli-cwd-'));
afterAll(() => rmSync(standHere, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync('pnpm', ['--silent', 'recurrent-music', ...args], {
    cwd: standHere,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, RECURRENT_THREADS: '1' },
  });

describe('pnpm recurrent-music from a checkout (spawned)', () => {
  it.skipIf(!existsSync(join(modelDir, 'config.json')))(
    'eval --json prints one JSON object; generate writes a .mid relative to the directory the user stands in',
    () => {
      const model = relative(standHere, modelDir);
      const e = run(['eval', '--model', model, '--json']);
      expect(e.status, e.stderr).toBe(0);
      const result = JSON.parse(e.stdout);
      expect(result).toMatchObject({ split: 'test', frames: 4725 });
      expect(result.nll_per_frame).toBeGreaterThan(5);
      const g = run(['generate', '--model', model, '--out', 'sample.mid', '--steps', '32', '--seed', '2']);
      expect(g.status, g.stderr).toBe(0);
      const seq = midiToNoteSequence(new Uint8Array(readFileSync(join(standHere, 'sample.mid'))));
      expect(seq.notes.length).toBeGreaterThan(10);
      const bad = run(['train', 'mnist', '--out', 'x']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/unknown task 'mnist'/);
    },
  );
});
