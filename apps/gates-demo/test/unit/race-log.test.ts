import { describe, expect, it } from 'vitest';
import { badgesOf } from '../../lib/badges';
import type { StepRecord, TrainUpdate } from '../../lib/protocol';
import {
  appendUpdate,
  emptyLog,
  finiteExtent,
  formatPowerOfTen,
  latestProfile,
  logTicks,
  SMOOTHING,
} from '../../lib/race-log';

const ok = (loss: number, gradNorm = 1, clipped = false) => ({ loss, gradNorm, clipped, diverged: false });
const diverged = { loss: Number.NaN, gradNorm: Number.NaN, clipped: false, diverged: true };

function update(firstStep: number, steps: StepRecord[], firstProfile = 0, runId = 1): TrainUpdate {
  return { runId, cells: ['rnn', 'gru'], firstStep, steps, firstProfile, profiles: [], millis: 10 * steps.length };
}

describe('race log', () => {
  it('appends steps of every cell with a bias-corrected moving average', () => {
    let log = appendUpdate(emptyLog(1), update(0, [[ok(1), ok(2)]]), 0.01);
    expect(log.step).toBe(1);
    expect(log.tracks.map((t) => t.smoothed[0])).toEqual([1, 2]); // the first average is the first loss
    log = appendUpdate(log, update(1, [[ok(0), ok(2)]]), 0.01);
    const weight = SMOOTHING + (1 - SMOOTHING) * SMOOTHING;
    expect(log.tracks[0]?.smoothed[1]).toBeCloseTo(((1 - SMOOTHING) * SMOOTHING * 1) / weight, 12);
    expect(log.tracks[1]?.smoothed[1]).toBeCloseTo(2, 12);
    expect(log.tracks[0]?.losses).toEqual([1, 0]);
  });

  it('records the step a cell solved the task, diverged, was clipped, and its largest gradient', () => {
    const steps: StepRecord[] = [
      [ok(0.5, 3), ok(0.02, 0.5)],
      [ok(0.5, 500, true), ok(0.001, 0.4)],
      [diverged, ok(0.001, 0.4)],
    ];
    const log = appendUpdate(emptyLog(1), update(0, steps), 0.01);
    const [rnn, gru] = log.tracks;
    expect(rnn?.divergedAt).toBe(3);
    expect(rnn?.clippedSteps).toBe(1);
    expect(rnn?.peakGradNorm).toEqual({ value: 500, step: 2 });
    expect(Number.isNaN(rnn?.smoothed[2])).toBe(true);
    expect(gru?.solvedAt).toBe(3); // the average falls below 0.01 only at the third step
    expect(gru?.divergedAt).toBeNull();
    if (!rnn || !gru) throw new Error('two tracks expected');
    expect(badgesOf(rnn, 3, 1 / 6).map((b) => b.text)).toEqual([
      'exploded at step 3',
      'gradient spike ‖∇‖ = 5.0e+2 at step 2',
      'clipped 1 of 3 steps',
    ]);
    expect(badgesOf(gru, 3, 1 / 6).map((b) => b.kind)).toEqual(['solved']);
  });

  it('after 100 steps calls a cell near the input-blind loss on the plateau, one far above it worse', () => {
    const steps: StepRecord[] = Array.from({ length: 100 }, () => [ok(0.16), ok(0.05)]);
    const log = appendUpdate(emptyLog(1), update(0, steps), 0.01);
    const [rnn, gru] = log.tracks;
    if (!rnn || !gru) throw new Error('two tracks expected');
    expect(badgesOf(rnn, 100, 1 / 6).map((b) => b.kind)).toEqual(['plateau']);
    expect(badgesOf(gru, 100, 1 / 6).map((b) => b.kind)).toEqual(['learning']);
    const blownUp = appendUpdate(
      emptyLog(1),
      update(
        0,
        Array.from({ length: 100 }, () => [ok(2), ok(2)]),
      ),
      0.01,
    );
    const worse = blownUp.tracks[0];
    if (!worse) throw new Error('a track expected');
    expect(badgesOf(worse, 100, 1 / 6).map((b) => b.text)).toEqual(['worse than input-blind']);
  });

  it('refuses an update of another run or one that does not continue the log', () => {
    const log = appendUpdate(emptyLog(1), update(0, [[ok(1), ok(1)]]), 0.01);
    expect(() => appendUpdate(log, update(1, [], 0, 2), 0.01)).toThrow(/update of run 2 given to run 1/);
    expect(() => appendUpdate(log, update(0, [[ok(1), ok(1)]]), 0.01)).toThrow(/starts at step 0 but the page holds 1/);
    expect(() => appendUpdate(log, update(1, [], 3), 0.01)).toThrow(/starts at profile 3 but the page holds 0/);
    expect(() => appendUpdate(log, update(1, [[ok(1)]]), 0.01)).toThrow(/step 2 has no record for gru/);
    expect(latestProfile(log)).toBeNull();
  });

  it('draws log-scale axes with readable powers of ten', () => {
    expect(logTicks(-3.2, -0.7)).toEqual({ domain: [-4, 0], ticks: [-4, -3, -2, -1, 0] });
    expect(logTicks(-26.3, 0.2).ticks).toEqual([-27, -23, -19, -15, -11, -7, -3, 1]);
    expect(logTicks(Number.NaN, Number.NaN)).toEqual({ domain: [-1, 0], ticks: [-1, 0] });
    expect([-6, -2, -1, 0, 1, 3].map(formatPowerOfTen)).toEqual(['1e-6', '0.01', '0.1', '1', '10', '1e+3']);
    expect(
      finiteExtent([
        [1, Number.NaN, -2],
        [Number.POSITIVE_INFINITY, 5],
      ]),
    ).toEqual([-2, 5]);
  });
});
