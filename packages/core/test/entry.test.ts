import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every source file reachable from `entry` through relative static imports, with its import specifiers. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g),
    ].map((m) => (m[1] ?? m[2])!);
    graph.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

describe('entry points', () => {
  it('the main entry (training loop and registries included) reaches no node: module', () => {
    const graph = importGraph(join(src, 'index.ts'));
    expect([...graph.keys()].some((f) => f.endsWith('training/loop.ts'))).toBe(true);
    expect([...graph.keys()].some((f) => f.endsWith('registry/model-kinds.ts'))).toBe(true);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => s.startsWith('node:')).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
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
