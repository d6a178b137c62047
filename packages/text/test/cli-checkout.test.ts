import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const modelDir = join(here, '..', 'models', 'sst2');
// A directory inside the checkout without a package.json: pnpm walks up to the root package's script, runs it at the
// root, and the CLI must still read relative paths from here.
const standHere = mkdtempSync(join(repoRoot, '.cli-cwd-'));
afterAll(() => rmSync(standHere, { recursive: true, force: true }));

describe('pnpm recurrent-text from a checkout', () => {
  it.skipIf(!existsSync(join(modelDir, 'config.json')))(
    'resolves relative paths against the directory the user stands in and predicts texts read from stdin',
    () => {
      const model = relative(standHere, modelDir); // ../packages/text/models/sst2
      const r = spawnSync(
        'pnpm',
        ['--silent', 'recurrent-text', 'predict', '--model', model, '--json', '--no-trajectory'],
        {
          cwd: standHere,
          input: 'a gorgeous , witty and deeply moving film\na dull , lifeless and boring mess\n',
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const labels = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).label);
      expect(labels).toEqual(['positive', 'negative']);
    },
  );
});
