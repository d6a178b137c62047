// The page's sentences that depend on the settings and the run: pure, unit-tested.
import type { LongRangeTask } from '@recurrent/core';
import type { RaceLog } from './race-log';

export type Phase = 'idle' | 'running' | 'paused' | 'finished' | 'error';

/** One line on what the task asks, its input-blind loss and its "solved" threshold. */
export function taskSentence(task: LongRangeTask): string {
  if (task.name === 'adding') {
    return (
      `Adding problem: two of the T = ${task.length} numbers are marked, one in each half; after the last step ` +
      `the model must output their sum. Guessing 1 gives MSE 1/6 ≈ 0.167; below ${task.solvedBelow} counts as solved.`
    );
  }
  return (
    `Copy: 10 symbols (of 8), then ${task.length} blanks and a delimiter; the model must replay the symbols ` +
    `(${task.steps} steps). Input-blind cross-entropy ${task.baselineLoss.toFixed(3)}; below ` +
    `${task.solvedBelow.toFixed(4)} counts as solved.`
  );
}

/** Where the run is: steps done of the budget, time spent in the worker, paused/done. */
export function progressSentence(log: RaceLog | null, budget: number, phase: Phase): string {
  if (!log) return phase === 'running' ? 'starting…' : 'Press Start: the defaults tell the story in about a minute.';
  const parts = [`step ${log.step} of ${budget}`];
  if (log.step > 0) {
    parts.push(`${(log.millis / 1000).toFixed(1)} s in the worker, ${(log.millis / log.step).toFixed(0)} ms per step`);
  }
  if (phase === 'paused') parts.push('paused');
  if (phase === 'finished') parts.push('done');
  return parts.join(' · ');
}
