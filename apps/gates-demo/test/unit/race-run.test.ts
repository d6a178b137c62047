// The worker's side without a worker: RaceRun trains a real (small) CellComparison.
import { describe, expect, it } from 'vitest';
import type { TrainUpdate } from '../../lib/protocol';
import { RaceRun } from '../../lib/race-run';
import { appendUpdate, emptyLog } from '../../lib/race-log';
import { DEFAULT_SETTINGS, type RaceSettings } from '../../lib/settings';

const small: RaceSettings = { ...DEFAULT_SETTINGS, length: 10, steps: 20, hiddenSize: 16, batchSize: 16 };

function trainAll(settings: RaceSettings): RaceRun {
  const run = new RaceRun(1, settings);
  while (!run.done) run.advance();
  return run;
}

describe('RaceRun', () => {
  it('trains every cell to the budget, profiling at step 0, every profileEvery steps and at the end', () => {
    const run = trainAll(small);
    expect(run.cells).toEqual(['rnn', 'irnn', 'lstm', 'gru']);
    expect(run.steps).toHaveLength(20);
    expect(run.profiles.map((p) => p.step)).toEqual([0, 10, 20]);
    for (const p of run.profiles) {
      expect(p.profiles.map((c) => c.norms.length)).toEqual([10, 10, 10, 10]);
    }
    expect(run.heldOut?.map((h) => h.cell)).toEqual(run.cells);
    expect(run.heldOut?.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(() => run.advance()).toThrow(/already spent its budget of 20 steps/);
  });

  it('is reproducible: the same seed gives the same losses, another seed other ones', () => {
    const a = trainAll(small);
    const b = trainAll(small);
    const c = trainAll({ ...small, seed: 7 });
    expect(b.steps).toEqual(a.steps);
    expect(c.steps).not.toEqual(a.steps);
  });

  it('sends what the page lacks, so an update lost to a pause is sent again', () => {
    const run = new RaceRun(3, small);
    for (let i = 0; i < 5; i++) run.advance();
    let log = appendUpdate(emptyLog(3), run.updateSince(0, 0), 0.01);
    for (let i = 0; i < 4; i++) run.advance(); // a "lost" update: the page was paused before it arrived
    const resumed: TrainUpdate = run.updateSince(log.step, log.profiles.length);
    expect(resumed.firstStep).toBe(5);
    expect(resumed.steps).toHaveLength(4);
    log = appendUpdate(log, resumed, 0.01);
    expect(log.step).toBe(9);
    expect(log.tracks[0]?.losses).toEqual(run.steps.map((s) => s[0]?.loss));
  });

  it('clipping marks steps whose gradient norm was above the threshold', () => {
    const run = trainAll({ ...small, clip: 0.01 });
    const clipped = run.steps.flat().filter((r) => r.clipped);
    expect(clipped.length).toBeGreaterThan(0);
    expect(clipped.every((r) => r.gradNorm > 0.01)).toBe(true);
  });

  it('races on the copy task too: cross-entropy at every step, profiles over all T + 20 steps', () => {
    const run = trainAll({ ...small, task: 'copy', steps: 10 });
    expect(run.profiles.at(-1)?.profiles.map((p) => p.norms.length)).toEqual([30, 30, 30, 30]);
    expect(run.steps.flat().every((r) => Number.isFinite(r.loss) && r.loss > 0)).toBe(true);
  });

  it('refuses bad settings with every problem named', () => {
    expect(() => new RaceRun(1, { ...small, length: 3, lr: -1 })).toThrow(
      /bad race settings: T must be .*; the learning rate must be/,
    );
  });
});
