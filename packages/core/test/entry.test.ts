import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeOnlyImports, reachableImports } from '@recurrent/test-support';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

describe('entry points', () => {
  it('the main entry (training loop and registries included) reaches no node: module', () => {
    const entry = join(src, 'index.ts');
    const { modules } = reachableImports(entry);
    expect(modules).toContain('training/loop.ts');
    expect(modules).toContain('registry/model-kinds.ts');
    expect(nodeOnlyImports(entry)).toEqual([]);
    // the check can fail: the Node entry does reach node: modules
    expect(nodeOnlyImports(join(src, 'node.ts')).length).toBeGreaterThan(0);
  });

  it('the Node entry exports the runner, the directory loader and the task CLI', async () => {
    const node = (await import('../src/node.js')) as Record<string, unknown>;
    for (const name of [
      'runTraining',
      'loadTrainingCheckpoint',
      'writeFileAtomic',
      'loadModelDir',
      'runTaskCli',
      'parseArgs',
    ]) {
      expect(typeof node[name], name).toBe('function');
    }
  });
});
