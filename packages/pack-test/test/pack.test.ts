// The packages as a user outside the monorepo gets them: `pnpm pack` each one (built dist/ must exist: turbo's
// `test` task builds the dependencies first), `npm install` the tarballs into a fresh project in os.tmpdir(), then
// run each README's marked usage example with plain `node` (no tsx, no source conditions), the bins through `npx`,
// and a TypeScript file importing every entry through `tsc` with NodeNext resolution.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';
import { run } from './run.js';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = ['core', 'text', 'music'] as const;
type PackageDir = (typeof PACKAGES)[number];

interface PackResult {
  filename: string;
  files: string[];
}

interface PackageJson {
  name: string;
  exports: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const packageDir = (name: PackageDir) => join(workspaceRoot, 'packages', name);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Every file under `dir`, as paths relative to `base` with forward slashes. */
function filesUnder(dir: string, base: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

/** The files an `exports` map, `main`/`types` or `bin` points at (every condition but the workspace-only one). */
function entryFiles(pkg: PackageJson): string[] {
  const targets = Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    if (subpath.includes('*')) return [];
    if (typeof target === 'string') return [target];
    return Object.entries(target)
      .filter(([condition]) => condition !== '@recurrent/source')
      .map(([, file]) => file);
  });
  return [...targets, ...Object.values(pkg.bin ?? {})].map((file) => file.replace(/^\.\//, ''));
}

// What a TypeScript user writes: every entry imported, types used, and one call the types must reject.
const TYPESCRIPT_USER = `import { Adam, LSTM, randn, type Tensor } from '@recurrent/core';
import { loadModule, saveModule } from '@recurrent/core/node';
import { WasmHeap } from '@recurrent/core/internal';
import { WordTokenizer, type SentimentPrediction } from '@recurrent/text';
import { loadModelDir } from '@recurrent/text/node';
import { PianoRollRNN, type NoteSequence } from '@recurrent/music';
import { readIrishAbc } from '@recurrent/music/node';

const lstm = new LSTM({ inputSize: 4, hiddenSize: 8, batchFirst: true });
const x: Tensor = randn([2, 3, 4]);
const out: Tensor = lstm.forward(x).output;
const optimizer = new Adam(lstm.parameters(), { lr: 1e-3 });
const tokens: string[] = WordTokenizer.fromTexts(['a b'], { minFreq: 1 }).tokenize('a b');
const label: SentimentPrediction['label'] | undefined = undefined;
const notes: NoteSequence['notes'] = [];
const model = new PianoRollRNN({ hiddenSize: 8 });
// @ts-expect-error: a shape is a number array (fails if the declarations did not resolve and everything were any)
randn('not a shape');
export { out, optimizer, tokens, label, notes, model, loadModule, saveModule, WasmHeap, loadModelDir, readIrishAbc };
`;

let root = '';
let project = '';
const packs = new Map<PackageDir, PackResult>();
const timings: string[] = [];

function timed<T>(label: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  timings.push(`${label} ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

beforeAll(() => {
  for (const name of PACKAGES) {
    if (!existsSync(join(packageDir(name), 'dist', 'index.js'))) {
      const build = 'pnpm turbo run build --filter @recurrent/pack-test...';
      throw new Error(`packages/${name}/dist/index.js is missing: build first (${build})`);
    }
  }
  root = mkdtempSync(join(tmpdir(), 'recurrent-pack-'));
  const tarballs = join(root, 'tarballs');
  mkdirSync(tarballs);
  timed('pnpm pack ×3', () => {
    for (const name of PACKAGES) {
      const { stdout } = run('pnpm', ['pack', '--json', '--pack-destination', tarballs], { cwd: packageDir(name) });
      const result = JSON.parse(stdout) as { filename: string; files: { path: string }[] };
      packs.set(name, { filename: result.filename, files: result.files.map((f) => f.path) });
    }
  });
  project = join(root, 'project');
  mkdirSync(project);
  const manifest = { name: 'recurrent-outside', version: '1.0.0', private: true, type: 'module' };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const files = PACKAGES.map((name) => packs.get(name)?.filename ?? '');
  timed('npm install', () =>
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files], {
      cwd: project,
    }),
  );
});

afterAll(() => {
  console.log(`pack test: ${timings.join(', ')}`);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.each(PACKAGES)('@recurrent/%s tarball', (name) => {
  const pack = () => {
    const result = packs.get(name);
    if (!result) throw new Error(`@recurrent/${name} was not packed`);
    return result;
  };

  it('holds README.md, LICENSE, package.json and every file its exports and bins point at, and no tests', () => {
    const { files } = pack();
    const pkg = readJson<PackageJson>(join(packageDir(name), 'package.json'));
    const required = ['README.md', 'LICENSE', 'package.json', ...entryFiles(pkg)];
    expect(required.filter((file) => !files.includes(file))).toEqual([]);
    const testFile = /(^|\/)(test|tests|__tests__)\/|\.test\.[cm]?[jt]s$|^(tsconfig|vitest)\b/;
    expect(files.filter((file) => testFile.test(file))).toEqual([]);
    expect(files.some((file) => file.startsWith('dist/') && file.endsWith('.d.ts'))).toBe(true);
  });

  it('installs with real versions in place of workspace: ranges', () => {
    const installed = readJson<PackageJson>(join(project, 'node_modules', '@recurrent', name, 'package.json'));
    expect(installed.name).toBe(`@recurrent/${name}`);
    const dependencies = Object.entries(installed.dependencies ?? {});
    const workspaceRanges = dependencies.filter(([, range]) => range.startsWith('workspace:'));
    expect(workspaceRanges).toEqual([]);
  });

  it("runs the README's usage example with plain node", () => {
    const readme = readFileSync(join(packageDir(name), 'README.md'), 'utf8');
    const example = readmeExample(readme, `packages/${name}/README.md`);
    const file = join(project, `${name}-readme.mjs`);
    writeFileSync(file, example.code);
    const { stdout } = timed(`${name} README example`, () => run('node', [file], { cwd: project }));
    for (const text of example.expect) expect(stdout).toContain(text);
  });
});

describe('outside the workspace', () => {
  it('ships every shipped model of @recurrent/text', () => {
    const models = join(packageDir('text'), 'models');
    const shipped = filesUnder(models, packageDir('text'));
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped.filter((file) => !packs.get('text')?.files.includes(file))).toEqual([]);
    const script = join(project, 'resolve-model.mjs');
    writeFileSync(script, "console.log(import.meta.resolve('@recurrent/text/models/sst2/config.json'));\n");
    const url = run('node', [script], { cwd: project }).stdout.trim();
    expect(existsSync(fileURLToPath(url))).toBe(true);
  });

  it('runs the bins through npx', () => {
    const text = run('npx', ['--no', '--', 'recurrent-text', 'help'], { cwd: project });
    expect(text.stdout).toContain('recurrent-text train <task> --out <dir>');
    const parity = run('npx', ['--no', '--', 'recurrent-parity', '--help'], { cwd: project });
    expect(parity.stdout).toContain('usage: parity [DIR]');
  });

  // Two users: one who checks every declaration file (skipLibCheck off) with the DOM library — the declarations use
  // its WebAssembly types — and a Node-only one (lib ES2022, skipLibCheck on as `tsc --init` writes it).
  it.each([
    { user: 'declarations checked, lib DOM', lib: ['ES2022', 'DOM'], skipLibCheck: false },
    { user: 'Node only, skipLibCheck', lib: ['ES2022'], skipLibCheck: true },
  ])('type-checks a TypeScript file importing every entry (NodeNext, strict; $user)', ({ lib, skipLibCheck }) => {
    writeFileSync(join(project, 'check.ts'), TYPESCRIPT_USER);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib,
        strict: true,
        noEmit: true,
        skipLibCheck,
        types: ['node'],
        typeRoots: [join(workspaceRoot, 'node_modules', '@types')],
      },
      files: ['check.ts'],
    };
    const config = join(project, `tsconfig.${skipLibCheck ? 'skip' : 'full'}.json`);
    writeFileSync(config, `${JSON.stringify(tsconfig, null, 2)}\n`);
    const tsc = join(workspaceRoot, 'node_modules', '.bin', 'tsc');
    const result = timed('tsc', () => run(tsc, ['-p', config], { cwd: project, check: false }));
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
