// A package CLI under fuzz: mutated command lines (and hostile standard input) run in-process; a pass is exit code
// 0, 1 or 2 with a message for a non-zero code — an uncaught exception or another code fails the case.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCli, type CapturedIO } from '../cli-capture.js';
import { mutateArgs } from './mutate-args.js';
import { mutateLine } from './mutate-text.js';
import type { ModelDirFiles } from './model-dir.js';
import type { FuzzTarget } from './runner.js';

/** Write `files` as the directory `root/name`; returns its path. */
export function writeModelDir(root: string, name: string, files: ModelDirFiles): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

/** What the CLI target needs, made once per process in a fresh temporary directory. */
export interface CliFixture {
  /** Valid command lines to mutate. */
  templates: readonly (readonly string[])[];
  /** Commands, task names and flags of the program (mutations insert them). */
  words: readonly string[];
  /** Values worth trying besides the hostile ones: fixture paths, numbers. */
  values: readonly string[];
  /** Lines of valid standard input. */
  stdinLines: readonly string[];
  /** An empty folder: RECURRENT_DATA during each case, so `train` fails on its data instead of training. */
  emptyDataDir: string;
}

export interface CliCase {
  argv: string[];
  stdin: string;
}

/**
 * A fuzz target for `runCli(argv, io)`. `fixture(root)` writes what the templates refer to (tiny model directories)
 * under `root` and returns the templates and vocabulary; it runs on the first case.
 */
export function cliTarget(
  parser: string,
  runCli: (argv: readonly string[], io: CapturedIO) => Promise<number>,
  fixture: (root: string) => CliFixture,
): FuzzTarget<CliCase> {
  let fx: CliFixture | null = null;
  return {
    parser,
    generate(random) {
      fx ??= fixture(mkdtempSync(join(tmpdir(), 'recurrent-fuzz-cli-')));
      const argv = mutateArgs(random, random.pick(fx.templates), { words: fx.words, values: fx.values });
      const lines = Array.from({ length: random.between(0, 3) }, () =>
        mutateLine(random, random.pick(fx?.stdinLines ?? [''])),
      );
      return { argv, stdin: lines.join('\n') };
    },
    async run({ argv, stdin }) {
      const saved = process.env.RECURRENT_DATA;
      process.env.RECURRENT_DATA = fx?.emptyDataDir;
      try {
        const { code, out, err } = await captureCli((io) => runCli(argv, io), { stdin });
        if (code !== 0 && code !== 1 && code !== 2) throw new Error(`exit code ${code}`);
        if (code !== 0 && err === '' && out === '') throw new Error(`exit code ${code} without a message`);
      } finally {
        if (saved === undefined) delete process.env.RECURRENT_DATA;
        else process.env.RECURRENT_DATA = saved;
      }
    },
    // Every outcome is an exit code; any exception escaping runCli fails the case.
    rule: () => ({ accepts: [], names: [] }),
    timeLimitMs: 20_000,
  };
}
