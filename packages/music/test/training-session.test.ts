import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTraining } from '@recurrent/core/node';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRoll, nllPerFrame, PianoRollRNN, RnnNade, RollTrainingSession } from '../src/index.js';
import { rollTask } from '../src/node.js';
import { tinyRollConfig, tinyRollSplits } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'recurrent-music-session-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('RollTrainingSession (the runner in chunks, checkpointed to memory: what a browser worker drives)', () => {
  const data = tinyRollSplits();

  for (const task of ['jsb', 'jsb-nade'] as const) {
    it(`${task}: advancing 2 steps at a time ends where one uninterrupted run ends, byte for byte`, () => {
      const config = tinyRollConfig(task);
      const dir = join(root, task);
      const straight = runTraining(rollTask, config, data, { outDir: dir, log: () => {}, progress: null });

      const session = new RollTrainingSession(config, data);
      expect(session.progress().step).toBe(0);
      expect(session.bestModel()).toBeNull();
      const seen: number[] = [];
      for (let chunk = 0; chunk < 100 && !session.finished; chunk++) {
        const p = session.advance(2);
        seen.push(p.step);
        expect(p.stepLosses.length).toBe(p.step);
      }
      expect(session.finished).toBe(true);
      expect(seen.slice(0, 3)).toEqual([2, 4, 6]);
      const end = session.progress();
      expect(end.step).toBe(straight.trainer.step);
      expect(end.totalSteps).toBe(straight.trainer.totalSteps);
      const withoutTime = (h: { seconds: number }[]) => h.map(({ seconds: _, ...rest }) => rest);
      expect(withoutTime(end.history)).toEqual(withoutTime(straight.trainer.history));
      expect(end.best?.value).toBe(straight.best?.value);
      for (const loss of end.stepLosses) expect(loss).toBeGreaterThan(0);

      // The best model's files are the shipped format, equal to what the Node run wrote, and measure the best NLL.
      const files = session.bestModelFiles();
      if (!files) throw new Error('no best model after a finished run');
      expect(Buffer.from(files.weights).equals(readFileSync(join(dir, 'model.safetensors')))).toBe(true);
      const model = session.bestModel();
      expect(model).toBeInstanceOf(task === 'jsb-nade' ? RnnNade : PianoRollRNN);
      if (!model) throw new Error('no best model');
      expect(nllPerFrame(model, data.valid).nllPerFrame).toBeCloseTo(end.best?.value ?? Number.NaN, 4);
      expect(generateRoll(model, { steps: 4, seed: 1 }).roll.frames).toBe(4);
      // Advancing a finished run changes nothing.
      expect(session.advance(5).step).toBe(end.step);
    });
  }

  it('refuses bad configs, empty splits and bad step counts with the argument named', () => {
    const config = tinyRollConfig('jsb');
    expect(() => new RollTrainingSession({ ...config, batchSize: 0 }, data)).toThrow(/batchSize/);
    expect(() => new RollTrainingSession(config, { ...data, valid: [] })).toThrow(/valid split has no pieces/);
    expect(() => new RollTrainingSession(config, data).advance(0)).toThrow(/steps must be a positive integer, got 0/);
  });
});
