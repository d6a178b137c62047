import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingInterrupted } from '@recurrent/core';
import { loadModelDir, runTraining } from '@recurrent/core/node';
import { PianoRollRNN, RnnNade, transposeRoll } from '../src/index.js';
import { rollEpochBatches, rollTask } from '../src/node.js';
import { tinyRollConfig as tinyConfig, tinyRollSplits as tinySplits } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-music-training-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`);
const quiet = { log: () => {}, progress: null };

describe('piano-roll tasks on the shared runner', () => {
  const data = tinySplits();

  it('epoch batches depend only on (seed, epoch): shuffled, transposed within the keyboard, cut at seqLen', () => {
    const config = tinyConfig('jsb');
    const a = rollEpochBatches(data.train, config, 0);
    const again = rollEpochBatches(data.train, config, 0);
    const other = rollEpochBatches(data.train, config, 1);
    const flat = (bs: typeof a) => bs.map((b) => Array.from(b.targets.data).join(''));
    expect(flat(again)).toEqual(flat(a));
    expect(flat(other)).not.toEqual(flat(a));
    for (const b of a) for (const len of b.lengths) expect(len).toBeLessThanOrEqual(6);
    const frames = (bs: typeof a) => bs.reduce((s, b) => s + b.frames, 0);
    expect(frames(a)).toBe(data.train.reduce((s, r) => s + r.frames, 0));
    const ones = (b: (typeof a)[number]) => Array.from(b.targets.data).filter((x) => x === 1).length;
    const notes = (bs: typeof a) => bs.reduce((s, b) => s + ones(b), 0);
    expect(notes(a)).toBe(data.train.reduce((s, r) => s + r.keys.reduce((t, x) => t + x, 0), 0));
    const plain = rollEpochBatches(data.train, { ...config, transpose: 0, seqLen: 0 }, 0);
    expect(plain.flatMap((b) => b.lengths).sort()).toEqual(data.train.map((r) => r.frames).sort());
    expect(() => transposeRoll(data.train[0]!, 60)).toThrow(/leave the 88 keys/);
  });

  for (const task of ['jsb', 'jsb-nade'] as const) {
    it(`${task}: a run killed mid-way and resumed is bit-identical (dropout, transposition, cosine lr)`, () => {
      const cfg = tinyConfig(task);
      const straight = fresh();
      const r1 = runTraining(rollTask, cfg, data, { outDir: straight, ...quiet });
      expect(r1.trainer.history.length).toBeGreaterThan(3);
      for (const stopAt of [4, 5]) {
        const killed = fresh();
        expect(() => runTraining(rollTask, cfg, data, { outDir: killed, ...quiet, stopAfterStep: stopAt })).toThrow(
          TrainingInterrupted,
        );
        const r2 = runTraining(rollTask, tinyConfig(task, { lr: 5 }), data, { outDir: killed, ...quiet, resume: true });
        expect(r2.trainer.step).toBe(r1.trainer.step);
        const bytes = (dir: string) => readFileSync(join(dir, 'model.safetensors'));
        expect(bytes(killed).equals(bytes(straight))).toBe(true);
        const metrics = (dir: string) => {
          const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
          return m.history.map(({ seconds: _, ...h }: { seconds: number }) => h);
        };
        expect(metrics(killed)).toEqual(metrics(straight));
      }
      const config = JSON.parse(readFileSync(join(straight, 'config.json'), 'utf8'));
      expect(config.package).toBe('@recurrent/music');
      expect(config.kind).toBe(task === 'jsb-nade' ? 'rnn-nade' : 'piano-roll-rnn');
      expect(config.training.config.task).toBe(task);
      // core's generic loader finds the kind through the registry
      const model = loadModelDir(straight);
      expect(model).toBeInstanceOf(task === 'jsb-nade' ? RnnNade : PianoRollRNN);
    });
  }
});
