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
  it('the main entry reaches no node: module and no Node-only entry of another package (browser-safe)', () => {
    const graph = importGraph(join(src, 'index.ts'));
    expect(graph.size).toBeGreaterThan(15);
    for (const [file, specs] of graph) {
      for (const s of specs)
        expect(s.startsWith('node:') || s.endsWith('/node') ? `${file} imports ${s}` : 'ok').toBe('ok');
    }
  });

  it('the main and node entries export the public API', async () => {
    const main = (await import('../src/index.js')) as Record<string, unknown>;
    for (const name of [
      'validateNoteSequence',
      'quantizeNoteSequence',
      'midiToNoteSequence',
      'noteSequenceToMidi',
      'splitAbcTunes',
      'abcToNoteSequence',
      'noteSequenceToAbc',
      'abcPlayability',
      'noteSequenceToRoll',
      'rollToNoteSequence',
      'parsePianoRollSplits',
      'PianoRollRNN',
      'RnnNade',
      'nadeLogits',
      'nllPerFrame',
      'generateRoll',
      'rollStatistics',
      'estimateKey',
      'createFolkModel',
      'folkPlayability',
    ]) {
      expect(typeof main[name], name).toBe('function');
    }
    const node = (await import('../src/node.js')) as Record<string, unknown>;
    for (const name of [
      'readPianoRollDataset',
      'readPianoRollFile',
      'listNottinghamMidi',
      'readNottinghamMidi',
      'readIrishAbc',
      'splitByTune',
    ]) {
      expect(typeof node[name], name).toBe('function');
    }
  });
});
