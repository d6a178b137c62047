// Saved model directories under fuzz: a valid directory's files written to a fresh temporary directory with one of
// them mutated (JSON as JSON, the rest as bytes), missing, empty or replaced by a directory — or the directory itself
// missing, a plain file, or named with trailing slashes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutateBytes } from './mutate-bytes.js';
import { mutateJsonText } from './mutate-json.js';
import { TYPED_ERRORS } from './outcome.js';
import type { FuzzRandom } from './random.js';
import type { FuzzTarget } from './runner.js';

/** A saved model directory in memory: file name → content (JSON files as text). */
export type ModelDirFiles = Record<string, Uint8Array | string>;

/** One case: the temporary root (removed afterwards) and the directory path handed to the loader. */
export interface ModelDirCase {
  root: string;
  dir: string;
}

/** Write `valid` into `root/model` with one hostile change; returns the path to load. */
export function writeMutatedModelDir(random: FuzzRandom, valid: ModelDirFiles, root: string): string {
  const dir = join(root, 'model');
  mkdirSync(dir);
  const names = Object.keys(valid);
  const victim = random.pick(names);
  const mode = random.int(10);
  for (const name of names) {
    const content = valid[name] as Uint8Array | string;
    if (name !== victim) writeFileSync(join(dir, name), content);
    else if (mode === 0)
      continue; // missing
    else if (mode === 1) mkdirSync(join(dir, name));
    else if (mode === 2) writeFileSync(join(dir, name), '');
    else if (typeof content === 'string') writeFileSync(join(dir, name), mutateJsonText(random, content));
    else writeFileSync(join(dir, name), mutateBytes(random, content));
  }
  if (random.chance(0.03)) {
    rmSync(dir, { recursive: true });
    if (random.chance(0.5)) writeFileSync(dir, 'not a directory');
  }
  return random.chance(0.1) ? `${dir}//` : dir;
}

/**
 * A fuzz target loading mutated copies of one valid model directory with `load`; a rejection must be a typed error
 * naming the directory (or a file in it).
 */
export function modelDirTarget(
  parser: string,
  valid: () => ModelDirFiles,
  load: (dir: string) => unknown,
): FuzzTarget<ModelDirCase> {
  let files: ModelDirFiles | null = null;
  return {
    parser,
    generate(random) {
      files ??= valid();
      const root = mkdtempSync(join(tmpdir(), 'recurrent-fuzz-'));
      return { root, dir: writeMutatedModelDir(random, files, root) };
    },
    run: ({ dir }) => load(dir),
    rule: ({ root }) => ({ accepts: TYPED_ERRORS, names: [join(root, 'model')] }),
    dispose: ({ root }) => rmSync(root, { recursive: true, force: true }),
    inputBytes: () => Object.values(files ?? {}).reduce((n, f) => n + f.length, 0),
  };
}
