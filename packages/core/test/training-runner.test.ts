import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  resolveTrainingConfig,
  mergeConfig,
  NonFiniteLossError,
  TrainingInterrupted,
  trainingLoop,
  ValueError,
  type CheckpointStore,
} from '../src/index.js';
import { loadTrainingCheckpoint, runTraining } from '../src/node.js';
import { toyData, toyDefaults, toyRegistration, toyTask, type ToyConfig } from './toy-training-task.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`);
const quiet = { log: () => {}, progress: null };
const data = toyData();

function config(overrides: Record<string, unknown> = {}): ToyConfig {
  return mergeConfig('toy-seq', toyDefaults(), overrides);
}

/** Everything that must be equal after an exact resume: weights, optimizer buffers and steps, carried state. */
function checkpointState(dir: string): unknown {
  const c = loadTrainingCheckpoint<ToyConfig>(join(dir, 'checkpoint.safetensors'));
  const arrays = (r: Record<string, { data: ArrayLike<number> }> | null) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, t]) => [k, Array.from(t.data)]));
  return {
    model: arrays(c.model),
    optimizer: c.optimizer.state.map(
      (s) =>
        s && {
          step: s.step,
          buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, b]) => [k, Array.from(b)])),
        },
    ),
    lr: c.optimizer.hyperparameters.lr,
    carried: arrays(c.carried),
    rng: c.trainer.rng,
    scheduler: c.trainer.scheduler ?? null,
    history: c.trainer.history.map(({ seconds: _, ...h }) => h),
    best: c.trainer.best,
    step: c.trainer.step,
  };
}

describe('training runner', () => {
  for (const lrSchedule of ['constant', 'warmup-cosine'] as const) {
    it(`a run killed at any step and resumed is bit-identical to an uninterrupted one (lr ${lrSchedule})`, () => {
      const cfg = config({ lrSchedule, warmupSteps: 3 });
      const straight = fresh();
      const r1 = runTraining(toyTask, cfg, data, { outDir: straight, ...quiet });
      const perEpoch = toyTask
        .build(cfg, data, { outDir: null, resuming: false, log: () => {} })
        .epochBatches(0).length;
      expect(r1.trainer.step).toBeGreaterThanOrEqual(3 * (perEpoch - 1));
      expect(r1.trainer.history.length).toBeGreaterThan(3);
      const expected = checkpointState(straight);
      // mid-epoch between checkpoints, on a checkpoint step, on a validation step, at the last step of epoch 1
      for (const stopAt of [2, 3, 4, perEpoch]) {
        const killed = fresh();
        expect(() => runTraining(toyTask, cfg, data, { outDir: killed, ...quiet, stopAfterStep: stopAt })).toThrow(
          TrainingInterrupted,
        );
        const ckpt = loadTrainingCheckpoint(join(killed, 'checkpoint.safetensors'));
        expect(ckpt.trainer.step).toBe(stopAt);
        expect(ckpt.carried?.h).toBeDefined();
        expect(() => runTraining(toyTask, cfg, data, { outDir: killed, ...quiet })).toThrow(
          /already holds a training run/,
        );
        // A resumed run uses the checkpoint's config, whatever is passed.
        const r2 = runTraining(toyTask, config({ lr: 5 }), data, { outDir: killed, ...quiet, resume: true });
        expect(r2.trainer.step, `stopped at ${stopAt}`).toBe(r1.trainer.step);
        expect(checkpointState(killed), `stopped at ${stopAt}`).toEqual(expected);
        expect(readFileSync(join(killed, 'model.safetensors'))).toEqual(
          readFileSync(join(straight, 'model.safetensors')),
        );
      }
    });
  }

  it('lr schedules are stepped after every optimizer step; lr decay on a plateau halves the lr', () => {
    const lrs = (extra: Record<string, unknown>) =>
      runTraining(toyTask, config({ lrDecay: 1, evalEvery: 1, epochs: 2, ...extra }), data, {
        outDir: fresh(),
        ...quiet,
      }).trainer.history.map((h) => [h.step, h.lr] as const);
    for (const [step, lr] of lrs({ lrSchedule: 'step', lrStepSize: 4, lrGamma: 0.5 })) {
      expect(lr).toBeCloseTo(0.02 * 0.5 ** Math.floor(step / 4), 12);
    }
    const cosine = lrs({ lrSchedule: 'cosine' });
    const total = cosine.at(-1)![0];
    for (const [step, lr] of cosine) expect(lr).toBeCloseTo((0.02 * (1 + Math.cos((Math.PI * step) / total))) / 2, 9);
    for (const [step, lr] of lrs({ lrSchedule: 'warmup-cosine', warmupSteps: 5 }).slice(0, 4)) {
      expect(lr).toBeCloseTo((0.02 * step) / 5, 12);
    }
    // A task whose epochs differ in length states the run's steps; the schedule spans them, not epochs × the first.
    const planned: typeof toyTask = {
      ...toyTask,
      build: (c, d, context) => ({ ...toyTask.build(c, d, context), plannedSteps: 3 * total }),
    };
    const spanned = runTraining(planned, config({ lrDecay: 1, evalEvery: 1, epochs: 2, lrSchedule: 'cosine' }), data, {
      outDir: fresh(),
      ...quiet,
    }).trainer.history;
    for (const { step, lr } of spanned)
      expect(lr).toBeCloseTo((0.02 * (1 + Math.cos((Math.PI * step) / (3 * total)))) / 2, 9);
    expect(() => resolveTrainingConfig(toyRegistration, { lrSchedule: 'linear' })).toThrow(
      /lrSchedule must be one of constant, step, cosine, warmup-cosine, got 'linear'/,
    );
    const plateau = runTraining(toyTask, config({ lr: 0.3, epochs: 6 }), data, { outDir: fresh(), ...quiet });
    for (let i = 1; i < plateau.trainer.history.length; i++) {
      const [prev, cur] = [plateau.trainer.history[i - 1]!, plateau.trainer.history[i]!];
      const best = Math.min(...plateau.trainer.history.slice(0, i).map((h) => h.metrics.mse!));
      expect(cur.lr).toBe(prev.metrics.mse! > best ? prev.lr * 0.5 : prev.lr);
    }
  });

  it('keeps the best validation by the selection mode and saves that model with metrics.json', () => {
    const dir = fresh();
    const r = runTraining(toyTask, config({ epochs: 4 }), data, { outDir: dir, ...quiet, command: 'toy train' });
    const mses = r.trainer.history.map((h) => h.metrics.mse!);
    expect(r.best?.metrics.mse).toBe(Math.min(...mses));
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.valid.mse).toBe(Math.min(...mses));
    expect(metrics.command).toBe('toy train');
    expect(metrics.parameters).toBe(6 + 36 + 6 + 6 + 6 + 1);
    expect(metrics.seconds).toBeGreaterThan(0);
    expect(metrics.history).toHaveLength(mses.indexOf(Math.min(...mses)) + 1);
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(saved.training).toMatchObject({
      task: 'toy-seq',
      command: 'toy train',
      bestStep: r.best?.step,
      config: { seed: 1234 },
    });
    const maxTask = { ...toyTask, selection: { metric: 'score', mode: 'max' as const } };
    const rMax = runTraining(maxTask, config({ epochs: 4 }), data, { outDir: fresh(), ...quiet });
    expect(rMax.best?.step).toBe(r.best?.step); // score = −mse: the same validation is best
    const missing = { ...toyTask, selection: { metric: 'accuracy', mode: 'max' as const } };
    expect(() => runTraining(missing, config(), data, { outDir: fresh(), ...quiet })).toThrow(
      /no number for the selection metric 'accuracy'/,
    );
  });

  it('stops early after `patience` validations without improvement; a finished run resumes as a no-op', () => {
    const dir = fresh();
    const r = runTraining(toyTask, config({ lr: 0.5, epochs: 40, patience: 2, lrDecay: 1 }), data, {
      outDir: dir,
      ...quiet,
    });
    const h = r.trainer.history;
    expect(r.trainer.finished).toBe(true);
    expect(r.trainer.badValidations).toBe(2);
    expect(h.length).toBeLessThan(40 * 4);
    const bestIndex = h.findIndex((x) => x.step === r.best?.step);
    expect(h.length - 1 - bestIndex).toBe(2);
    const again = runTraining(toyTask, config(), data, { outDir: dir, ...quiet, resume: true });
    expect(again.trainer.step).toBe(r.trainer.step);
  });

  it('a non-finite loss stops with NonFiniteLossError and the checkpoint on disk stays the last good one', () => {
    const dir = fresh();
    let error: unknown;
    try {
      runTraining(toyTask, config({ poisonStep: 5, checkpointEvery: 1 }), data, { outDir: dir, ...quiet });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/training loss is NaN at epoch 1, step 5/);
    const c = loadTrainingCheckpoint(join(dir, 'checkpoint.safetensors'));
    expect(c.trainer.step).toBe(4);
    for (const t of Object.values(c.model)) expect(Array.from(t.data).every(Number.isFinite)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('runs with any checkpoint store (no file system) and checks the task on resume', () => {
    let stored: Uint8Array | null = null;
    const store: CheckpointStore = {
      name: 'memory',
      exists: () => stored !== null,
      read: () => {
        if (!stored) throw new ValueError('memory: empty');
        return stored;
      },
      write: (bytes) => {
        stored = bytes.slice();
      },
    };
    const cfg = config();
    expect(() => trainingLoop(toyTask, cfg, data, { store, ...quiet, stopAfterStep: 6 })).toThrow(TrainingInterrupted);
    const resumed = trainingLoop(toyTask, cfg, data, { store, ...quiet, resume: true });
    const straight = runTraining(toyTask, cfg, data, { outDir: fresh(), ...quiet });
    expect(resumed.trainer.history.map((h) => h.metrics)).toEqual(straight.trainer.history.map((h) => h.metrics));
    const other = { ...toyTask, name: 'other' };
    const { task: _, ...untagged } = cfg;
    expect(() => trainingLoop(other, untagged as ToyConfig, data, { store, ...quiet, resume: true })).toThrow(
      /this checkpoint trains 'toy-seq', not 'other'/,
    );
    expect(existsSync(join(root, 'memory'))).toBe(false);
  });
});
