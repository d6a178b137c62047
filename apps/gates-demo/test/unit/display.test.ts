import { longRangeTask } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { progressSentence, taskSentence } from '../../lib/display';
import { emptyLog } from '../../lib/race-log';

describe('page sentences', () => {
  it('states each task with its T, baseline and threshold', () => {
    expect(taskSentence(longRangeTask('adding', { length: 50 }))).toMatch(
      /two of the T = 50 numbers are marked.*MSE 1\/6 ≈ 0\.167; below 0\.01 counts as solved/,
    );
    expect(taskSentence(longRangeTask('copy', { length: 30 }))).toMatch(
      /then 30 blanks.*\(50 steps\)\. Input-blind cross-entropy 0\.416; below 0\.0416 counts as solved/,
    );
  });

  it('says where the run is', () => {
    expect(progressSentence(null, 800, 'idle')).toMatch(/^Press Start/);
    expect(progressSentence(null, 800, 'running')).toBe('starting…');
    expect(progressSentence(emptyLog(1), 800, 'running')).toBe('step 0 of 800');
    const log = { ...emptyLog(1), step: 200, millis: 8000 };
    expect(progressSentence(log, 800, 'paused')).toBe('step 200 of 800 · 8.0 s in the worker, 40 ms per step · paused');
    expect(progressSentence({ ...log, step: 800 }, 800, 'finished')).toMatch(/step 800 of 800 · .* · done$/);
  });
});
