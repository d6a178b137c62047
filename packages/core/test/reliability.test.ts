// Issue 17's failure classes at the shared layer: file-system shapes, silent overwrites, integer-stored weights,
// options that do not apply, degenerate data, the run lock, Ctrl-C, and evaluation progress.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkRunnerConfig,
  encodeSafetensors,
  FormatError,
  MAX_SEED,
  mergeTaskConfig,
  progressLines,
  registerTrainingTask,
  TrainingInterrupted,
  ValueError,
  type ReportProgress,
  type RunnerConfig,
} from '../src/index.js';
import {
  acquireRunLock,
  ensureDirectory,
  fileCheckpointStore,
  loadModelDir,
  loadModule,
  loadSafetensorsFile,
  parseArgs,
  RUN_LOCK_FILE,
  runTaskCli,
  runTraining,
  runTrainingAsync,
  takeSeed,
  UsageError,
  writeFileAtomic,
} from '../src/node.js';
import { captureCli, relabelSafetensorsDtype, runAndSignal } from '@recurrent/test-support';
import {
  registerToyModelKind,
  TOY_PACKAGE,
  toyData,
  toyDefaults,
  ToyModel,
  toyRegistration,
  toyTask,
  type ToyConfig,
} from './toy-training-task.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'recurrent-reliability-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
registerToyModelKind();
registerTrainingTask(toyRegistration);

let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);
const quiet = { log: () => {}, progress: null } as const;
const oneEpoch = (): ToyConfig => ({ ...toyDefaults(), epochs: 1 });
const cli = (...argv: string[]) =>
  captureCli((io) => runTaskCli({ program: 'toy-cli', summary: 'a test CLI', packages: [TOY_PACKAGE] }, argv, io));

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

function trainedDir(): string {
  const dir = freshDir();
  runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet });
  return dir;
}

describe('file-system shapes are typed errors naming the path', () => {
  it('a directory where a file is expected: weights, loadModule, model directory files', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'weights.safetensors'), { recursive: true });
    for (const load of [
      () => loadModule(new ToyModel({ hiddenSize: 2, dropout: 0 }, 0), join(dir, 'weights.safetensors')),
      () => loadSafetensorsFile(join(dir, 'weights.safetensors')),
    ]) {
      const e = thrown(load);
      expect(e).toBeInstanceOf(FormatError);
      expect(e.message).toBe(
        `${join(dir, 'weights.safetensors')}: is a directory, expected a file (a safetensors file)`,
      );
    }
    const model = trainedDir();
    rmSync(join(model, 'model.safetensors'));
    mkdirSync(join(model, 'model.safetensors'));
    const e = thrown(() => loadModelDir(model));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(new RegExp(`^${model}/model\\.safetensors: is a directory, expected a file`));
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(thrown(() => loadModelDir(file)).message).toBe(
      `${file}: is a file, expected a saved model directory (config.json …)`,
    );
  });

  it('--out that is a file or lies under one; writes name the path given, never the temporary file', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const asOut = thrown(() => runTraining(toyTask, oneEpoch(), toyData(), { outDir: file, ...quiet }));
    expect(asOut).toBeInstanceOf(ValueError);
    expect(asOut.message).toBe(`output directory ${file}: is a file, expected a directory`);
    const under = join(file, 'run', 'deeper');
    expect(thrown(() => ensureDirectory(under, '--out')).message).toBe(
      `--out ${under}: lies under ${file}, which is a file, expected a directory`,
    );
    const dir = freshDir();
    mkdirSync(join(dir, 'model.bin'), { recursive: true });
    const intoDir = thrown(() => writeFileAtomic(join(dir, 'model.bin'), 'x'));
    expect(intoDir).toBeInstanceOf(ValueError);
    expect(intoDir.message).toBe(`${join(dir, 'model.bin')}: is a directory, expected a file`);
    const underFile = thrown(() => writeFileAtomic(join(file, 'model.bin'), 'x'));
    expect(underFile.message).toMatch(new RegExp(`^${join(file, 'model.bin')}: cannot be written \\(ENOTDIR`));
    expect(underFile.message).not.toMatch(/\.tmp/);
    const r = await cli('train', 'toy-seq', '--out', join(file, 'x'), '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: output directory ${join(file, 'x')}: lies under ${file}, which is a file, expected a directory\n`,
    );
    const c = await cli('train', 'toy-seq', '--out', freshDir(), '--config', root);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(new RegExp(`^error: --config ${root}: is a directory, expected a JSON file`));
  });
});

describe('a directory holding a trained model or a run', () => {
  it('is refused unless --force (or --resume), with a message naming both', async () => {
    const dir = trainedDir();
    rmSync(join(dir, 'checkpoint.safetensors')); // a shipped model: config.json + weights, no checkpoint
    const before = readFileSync(join(dir, 'model.safetensors'));
    const e = thrown(() => runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet }));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe(
      `${dir} already holds a trained model (config.json, model.safetensors) and no checkpoint to resume; pass ` +
        '--force to train a new model over it (or --resume where a checkpoint exists), or choose another --out',
    );
    expect(readFileSync(join(dir, 'model.safetensors')).equals(before)).toBe(true);
    const r = await cli('train', 'toy-seq', '--out', dir, '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--force/);
    expect((await cli('train', 'toy-seq', '--out', dir, '--resume', '--force')).code).toBe(2);
    const forced = await cli('train', 'toy-seq', '--out', dir, '--epochs', '1', '--hidden-size', '3', '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).architecture.hiddenSize).toBe(3);
  });

  it('a run with a checkpoint: --force starts a new run (the old checkpoint is not resumed)', () => {
    const dir = freshDir();
    expect(() =>
      runTraining(toyTask, { ...toyDefaults(), epochs: 2 }, toyData(), { outDir: dir, ...quiet, stopAfterStep: 5 }),
    ).toThrow(TrainingInterrupted);
    expect(thrown(() => runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet })).message).toMatch(
      /already holds a training run .*pass --resume to continue it, --force to start a new run over it/,
    );
    const r = runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet, force: true });
    expect(r.trainer.history[0]?.step).toBe(4); // counted from step 0, not from the old run's step 5
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
  });
});

describe('weights stored in an integer dtype', () => {
  it('are a FormatError naming the file, the tensor, expected and got; F16 still converts', () => {
    const dir = trainedDir();
    const model = loadModelDir<ToyModel>(dir);
    const state = model.stateDict();
    const path = join(dir, 'model.safetensors');
    const fileOf = (dtype: 'I32' | 'F16') => {
      const bytes = encodeSafetensors(state, null, dtype === 'F16' ? { storage: 'F16' } : { dtype: 'float32' });
      if (dtype === 'F16') return bytes;
      return relabelSafetensorsDtype(bytes, 'head.weight', 'F32', 'I32'); // same byte size, read as integers
    };
    writeFileSync(path, fileOf('I32'));
    const e = thrown(() => loadModelDir(dir));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe(
      `${dir}/model.safetensors: tensor 'head.weight' is stored as I32, expected F32 (the model's float32 ` +
        'weights; F16, BF16 and F64/F32 are converted, integer types are not)',
    );
    const direct = thrown(() => loadModule(new ToyModel(model.architecture, 0), path));
    expect(direct.message).toMatch(new RegExp(`^${path}: tensor 'head\\.weight' is stored as I32, expected F32`));
    writeFileSync(path, fileOf('F16'));
    expect(loadModelDir<ToyModel>(dir)).toBeInstanceOf(ToyModel);
  });
});

describe('options that do not apply are errors listing what the task accepts', () => {
  it('flags of another task, unknown nested --config keys, nested values of the wrong type', async () => {
    const r = await cli('train', 'toy-seq', '--out', freshDir(), '--bidirectional');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: unknown option for 'train': --bidirectional \(train toy-seq accepts --out, /);
    expect(r.err).toMatch(/--hidden-size, --dropout\)/);
    const e = await cli('eval', 'toy-seq', '--model', freshDir(), '--pooling', 'max');
    expect(e.err).toMatch(/unknown option for 'eval': --pooling \(eval toy-seq accepts --model, --data-dir, /);
    const config = join(root, 'nested.json');
    writeFileSync(config, JSON.stringify({ architecture: { hiddenSize: 3, bidirectional: true } }));
    const c = await cli('train', 'toy-seq', '--out', freshDir(), '--config', config);
    expect(c.code).toBe(1);
    expect(c.err).toBe(
      "error: config: unknown key 'architecture.bidirectional' for task toy-seq (known architecture keys: " +
        'hiddenSize, dropout)\n',
    );
    expect(() => mergeTaskConfig('toy-seq', toyDefaults(), {}, { architecture: { hiddenSize: 'big' } })).toThrow(
      `config: 'architecture.hiddenSize' must be a number, got "big"`,
    );
    const examples = { architecture: { numLayers: 1 } };
    const merged = mergeTaskConfig('toy-seq', toyDefaults(), examples, { architecture: { numLayers: 2 } });
    expect(merged.architecture).toEqual({ hiddenSize: 6, dropout: 0.2, numLayers: 2 });
  });

  it('one seed range for every command and every seed key of a config', async () => {
    const flags = (v: string) => parseArgs(['--seed', v], new Set()).flags;
    expect(takeSeed(flags(String(MAX_SEED)))).toBe(MAX_SEED);
    for (const bad of [String(MAX_SEED + 1), '-1', '1.5'])
      expect(() => takeSeed(flags(bad))).toThrow(
        new UsageError(`--seed must be an integer in [0, ${MAX_SEED}], got ${bad}`),
      );
    const r = await cli('train', 'toy-seq', '--out', freshDir(), '--seed', String(MAX_SEED + 1));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: config: seed must be an integer in [0, ${MAX_SEED}], got ${MAX_SEED + 1}\n`);
    const withSplitSeed = { ...toyDefaults(), splitSeed: 2 ** 40 } as unknown as RunnerConfig;
    expect(() => checkRunnerConfig(withSplitSeed)).toThrow(`config: splitSeed must be an integer in [0, ${MAX_SEED}]`);
  });
});

describe('degenerate data', () => {
  it('no full batch, an empty training set or an empty validation set is refused before training', () => {
    const tiny = { train: toyData().train.slice(0, 6), valid: toyData().valid };
    const few = thrown(() => runTraining(toyTask, oneEpoch(), tiny, { outDir: freshDir(), ...quiet }));
    expect(few).toBeInstanceOf(ValueError);
    expect(few.message).toMatch(
      /^toy-seq: the training data gives 0 steps per epoch \(the toy random walk\); it needs/,
    );
    const empty = { train: new Float32Array(0), valid: toyData().valid };
    expect(() => runTraining(toyTask, oneEpoch(), empty, { outDir: freshDir(), ...quiet })).toThrow(
      'toy-seq: the training set is empty (the toy random walk); nothing to train on',
    );
    const noValid = { train: toyData().train, valid: new Float32Array(3) };
    const dir = freshDir();
    expect(() => runTraining(toyTask, oneEpoch(), noValid, { outDir: dir, ...quiet })).toThrow(
      'toy-seq: the validation set is empty (the toy random walk); nothing to select the best model by',
    );
    expect(existsSync(join(dir, 'config.json'))).toBe(false); // no untrained model saved
  });
});

describe('the run lock', () => {
  it('refuses a second run on a live run directory, naming the pid; a dead owner is stale; released on exit', () => {
    const dir = freshDir();
    mkdirSync(dir);
    const lock = acquireRunLock(dir, { command: 'first' });
    const owner = JSON.parse(readFileSync(lock.path, 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname(), command: 'first' });
    const second = thrown(() => runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet }));
    expect(second).toBeInstanceOf(ValueError);
    expect(second.message).toMatch(
      new RegExp(
        `^${dir} is in use by another training run: process ${process.pid} on ${hostname()}, started .* \\(first\\)`,
      ),
    );
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    // A lock left by a killed process (its pid no longer runs) does not block the directory.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const stale = { pid: Number(dead), host: hostname(), started: '2026-01-01T00:00:00.000Z', command: null };
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify(stale));
    runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, ...quiet });
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
    // Another host's lock cannot be checked: refused, with how to clear it.
    const other = { pid: 1, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z', command: 'x' };
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify(other));
    expect(() => runTraining(toyTask, oneEpoch(), toyData(), { outDir: dir, resume: true, ...quiet })).toThrow(
      `if it is no longer running, delete ${join(dir, RUN_LOCK_FILE)}`,
    );
  });
});

describe('interruption', () => {
  it('stops at the step it is asked to, writes that checkpoint, and resumes to the uninterrupted result', async () => {
    const config = { ...toyDefaults(), epochs: 2, checkpointEvery: 0 };
    const whole = runTraining(toyTask, config, toyData(), { outDir: freshDir(), ...quiet });
    const dir = freshDir();
    let steps = 0;
    let error: unknown;
    try {
      await runTrainingAsync(toyTask, config, toyData(), {
        outDir: dir,
        ...quiet,
        interrupted: () => (++steps === 6 ? 'SIGINT' : null),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingInterrupted);
    const stop = error as TrainingInterrupted;
    expect([stop.signal, stop.step, stop.checkpointStep]).toEqual(['SIGINT', 6, 6]);
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
    const resumed = runTraining(toyTask, config, toyData(), { outDir: dir, resume: true, ...quiet });
    expect(resumed.trainer.history).toEqual(whole.trainer.history.map((h) => ({ ...h, seconds: expect.any(Number) })));
    const weights = readFileSync(join(whole.outDir, 'model.safetensors'));
    expect(readFileSync(join(dir, 'model.safetensors')).equals(weights)).toBe(true);
    expect(fileCheckpointStore(join(dir, 'checkpoint.safetensors')).exists()).toBe(true);
  });

  /** Run the toy CLI in a child process; send `signal` once its standard error matches `when`. */
  const interruptedChild = (args: string[], when: RegExp, signal: NodeJS.Signals) =>
    runAndSignal({
      command: 'node',
      args: ['--conditions=@recurrent/source', '--import', 'tsx', join(here, 'toy-cli.ts'), ...args],
      cwd: join(here, '..', '..', '..'), // where tsx is installed
      when,
      signal,
    });

  it('a CLI run sent SIGINT (or SIGTERM) exits 130 after printing the resume command, which resumes', async () => {
    const out = freshDir();
    const data = join(root, 'data dir');
    const args = ['train', 'toy-seq', '--out', out, '--data-dir', data, '--epochs', '100000', '--eval-every', '20'];
    const first = await interruptedChild(args, / step 20: train loss/, 'SIGINT');
    expect(first.code, first.err).toBe(130);
    expect(first.err).toMatch(/SIGINT: stopping after the current step to write its checkpoint/);
    expect(first.err).toMatch(/SIGINT: training stopped after step (\d+); the checkpoint of step \1 is written/);
    const resume = `toy-cli train toy-seq --out ${out} --data-dir "${data}" --resume`;
    expect(first.err).toContain(`resume with:\n  ${resume}\n`);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
    const step = Number(/stopped after step (\d+)/.exec(first.err)?.[1]);
    const again = await interruptedChild(
      ['train', 'toy-seq', '--out', out, '--data-dir', data, '--resume'],
      /resuming/,
      'SIGTERM',
    );
    expect(again.err).toContain(`resuming ${out} at epoch`);
    expect(again.err).toContain(`step ${step}\n`);
    expect(again.code, again.err).toBe(130);
    expect(again.err).toMatch(/SIGTERM: training stopped after step \d+; the checkpoint of step \d+ is written/);
  }, 60_000);
});

describe('evaluation progress', () => {
  it('quiet for the first seconds, then at most one line every few seconds, with the share done and an ETA', () => {
    let t = 0;
    const lines: string[] = [];
    const report = progressLines({
      label: 'toy validation',
      unit: 'windows',
      write: (l) => lines.push(l),
      now: () => t,
    });
    for (let done = 1; done <= 10; done++) {
      t += 2000;
      report(done, 10);
    }
    expect(lines).toEqual([
      'toy validation: 3/10 windows (30 %), elapsed 6s, ETA 14s\n',
      'toy validation: 6/10 windows (60 %), elapsed 12s, ETA 8s\n',
      'toy validation: 9/10 windows (90 %), elapsed 18s, ETA 2s\n',
    ]);
  });

  it("the runner hands the task's evaluate a progress reporter", () => {
    const seen: number[] = [];
    const task = {
      ...toyTask,
      build: (...args: Parameters<typeof toyTask.build>) => {
        const run = toyTask.build(...args);
        const evaluate = (report: ReportProgress) =>
          run.evaluate((done, total) => {
            seen.push(done / total);
            report(done, total);
          });
        return { ...run, evaluate };
      },
    };
    runTraining(task, oneEpoch(), toyData(), { outDir: freshDir(), ...quiet });
    expect(seen.at(-1)).toBe(1);
  });
});
