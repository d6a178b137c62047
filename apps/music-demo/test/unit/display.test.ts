import { describe, expect, it } from 'vitest';
import { appendTrainUpdate, emptyTrainLog, movingAverage, targetReached } from '../../lib/train-log';
import { cLabel, frameWidth, pitchRange, rollNotes } from '../../lib/roll-geometry';
import { realTimeSentence } from '../../lib/timing';
import type { TrainUpdate } from '../../lib/protocol';
import { DEFAULT_TRAIN_SETTINGS } from '../../lib/training-run';

const roll = (frames: number, on: [number, number][]) => {
  const keys = new Uint8Array(frames * 88);
  for (const [f, pitch] of on) keys[f * 88 + pitch - 21] = 1;
  return { frames, keys };
};

describe('piano roll geometry', () => {
  it('runs of sounding frames are notes; the range covers notes and probable keys with a margin', () => {
    const r = roll(4, [
      [0, 60],
      [1, 60],
      [3, 60],
      [2, 64],
    ]);
    expect(rollNotes(r)).toEqual([
      { pitch: 60, start: 0, length: 2 },
      { pitch: 64, start: 2, length: 1 },
      { pitch: 60, start: 3, length: 1 },
    ]);
    expect(pitchRange(r, null)).toEqual({ low: 50, high: 74 }); // 58..66, widened evenly to two octaves
    const probabilities = new Float32Array(88);
    probabilities[30 - 21] = 0.5;
    expect(pitchRange(r, probabilities).low).toBe(28);
    expect(pitchRange(roll(2, []), null)).toEqual({ low: 48, high: 72 });
    expect(pitchRange(roll(1, [[0, 21]]), null)).toEqual({ low: 21, high: 45 }); // kept on the keyboard
    expect(frameWidth(10, 900)).toBe(18);
    expect(frameWidth(900, 900)).toBe(1);
    expect(cLabel(60)).toBe('C4');
    expect(cLabel(61)).toBeNull();
  });
});

describe('the training log', () => {
  const update = (over: Partial<TrainUpdate>): TrainUpdate => ({
    runId: 1,
    step: 2,
    totalSteps: 870,
    epoch: 0,
    seconds: 1,
    parameters: 100,
    firstLoss: 0,
    losses: [60, 40],
    firstValidation: 0,
    validations: [],
    firstSample: 0,
    samples: [],
    finished: false,
    ...over,
  });

  it('appends updates where they start (a repeat after Pause replaces, a gap is an error)', () => {
    let log = appendTrainUpdate(emptyTrainLog(1, DEFAULT_TRAIN_SETTINGS), update({}));
    log = appendTrainUpdate(log, update({ step: 3, firstLoss: 1, losses: [41, 30] }));
    expect(log.losses).toEqual([60, 41, 30]);
    expect(() => appendTrainUpdate(log, update({ firstLoss: 5 }))).toThrow(/skips losses/);
    expect(() => appendTrainUpdate(log, update({ runId: 2 }))).toThrow(/run 2 for run 1/);
    const v = { epoch: 1, step: 29, nll: 8.9, trainLoss: 9.5, seconds: 60 };
    log = appendTrainUpdate(log, update({ firstLoss: 3, losses: [], validations: [{ ...v, nll: 9.4 }, v] }));
    expect(targetReached(log, 9.0)).toEqual(v);
    expect(targetReached(log, 8)).toBeNull();
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
  });

  it('says how much faster than real time a generation was', () => {
    const t = { millis: 500, generatedFrames: 128, generatedChars: 0, secondsPerFrame: 0.6 };
    expect(realTimeSentence(t)).toBe('128 frames (76.8 s of music) in 0.50 s: 154× faster than real time');
    expect(realTimeSentence({ ...t, millis: 100_000 })).toBe(
      '128 frames (76.8 s of music) in 100.00 s: 1.3× slower than real time',
    );
  });
});
