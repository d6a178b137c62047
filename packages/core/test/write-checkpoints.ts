// Child process of registry.test.ts: rewrites one checkpoint file (8 MB, two versions alternately, encoded once) in a
// loop, printing each version written, so nearly all of its time is spent writing when it is killed.
import { encodeSafetensors, full } from '../src/index.js';
import { writeFileAtomic } from '../src/node.js';

const path = process.argv[2];
if (!path) throw new Error('usage: write-checkpoints.ts <path>');
const versions = [1, 2].map((v) => encodeSafetensors({ values: full([2 * 1024 * 1024], v) }, { version: String(v) }));
for (let i = 0; ; i++) {
  writeFileAtomic(path, versions[i % 2]!);
  process.stdout.write(`${(i % 2) + 1}\n`);
}
