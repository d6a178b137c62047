import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every source file reachable from `entry` through relative imports, with its import specifiers. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const specs = [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map(
      (m) => m[1]!,
    );
    graph.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

describe('entry points', () => {
  it('the main entry reaches no node: module (browser-safe)', () => {
    const graph = importGraph(join(src, 'index.ts'));
    expect(graph.size).toBeGreaterThan(10);
    for (const [file, specs] of graph) {
      for (const s of specs)
        expect(s.startsWith('node:') || s === '@recurrent/core/node' ? `${file} imports ${s}` : 'ok').toBe('ok');
    }
  });

  it('the main and node entries export the public API', async () => {
    const main = await import('../src/index.js');
    for (const name of [
      'CharTokenizer',
      'WordTokenizer',
      'BpeTokenizer',
      'tokenizerFromJSON',
      'parseTokenizer',
      'prepareInput',
      'bucketBatches',
      'streamBatches',
      'padSequences',
      'epochGenerator',
    ]) {
      expect(typeof (main as Record<string, unknown>)[name]).toBe('function');
    }
    const node = await import('../src/node.js');
    for (const name of [
      'readSst2Sentences',
      'readSst2Glue',
      'readImdb',
      'readTinyShakespeare',
      'saveTokenizerFile',
      'loadTokenizerFile',
      'resolveDataDir',
    ]) {
      expect(typeof (node as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
