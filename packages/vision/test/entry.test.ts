import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeOnlyImports, reachableImports } from '@recurrent/test-support';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

describe('entry points', () => {
  it('the main entry reaches no node: module and no Node-only entry of another package (browser-safe)', () => {
    const entry = join(src, 'index.ts');
    expect(reachableImports(entry).modules.length).toBeGreaterThan(10);
    expect(nodeOnlyImports(entry)).toEqual([]);
    // the check can fail: the Node entry does reach node: modules (sharp's reader, the detector's file)
    expect(nodeOnlyImports(join(src, 'node.ts')).length).toBeGreaterThan(0);
  });

  it('the main and node entries export the public API', async () => {
    const main = (await import('../src/index.js')) as Record<string, unknown>;
    for (const name of ['imageToTensor', 'readImageHeader', 'sceneSplit', 'readTflite', 'Captioner', 'ciderD']) {
      expect(typeof main[name], name).toBe('function');
    }
    const node = (await import('../src/node.js')) as Record<string, unknown>;
    for (const name of ['readImage', 'loadObjectronDetector', 'readCocoMini']) {
      expect(typeof node[name], name).toBe('function');
    }
  });
});
