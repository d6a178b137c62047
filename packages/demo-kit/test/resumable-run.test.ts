import { describe, expect, it } from 'vitest';
import { CancelledError } from '../src/client';
import { ResumableRun, type RunSnapshot } from '../src/runs/resumable-run';

interface Log {
  runId: number;
  values: number[];
}
interface Answer {
  runId: number;
  total: number;
}

/** A fake worker: each send is a pending call the test drives (updates, answer, failure); abort rejects it. */
function harness() {
  const calls: {
    log: Log;
    update: (u: unknown) => void;
    answer: (a: Answer) => void;
    fail: (e: Error) => void;
  }[] = [];
  const snapshots: RunSnapshot<Log, Answer>[] = [];
  const run = new ResumableRun<Log, Answer>({
    newLog: (runId) => ({ runId, values: [] }),
    send: (log, signal, onUpdate) =>
      new Promise<Answer>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new CancelledError()));
        calls.push({ log, update: onUpdate, answer: resolve, fail: reject });
      }),
    append: (log, update) => {
      const u = update as { runId: number; values: number[] };
      if (u.runId !== log.runId) return null;
      if (!Array.isArray(u.values)) throw new Error('malformed update');
      return { ...log, values: [...log.values, ...u.values] };
    },
    onChange: (s) => snapshots.push(s),
  });
  return { run, calls, snapshots };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ResumableRun (Start / Pause / Resume / Reset of a streamed worker request)', () => {
  it('streams into the log, pauses keeping it, resumes the same run with what it holds, and finishes', async () => {
    const { run, calls } = harness();
    run.start();
    expect(run.snapshot.phase).toBe('running');
    calls[0]?.update({ runId: 1, values: [5, 4] });
    expect(run.snapshot.log).toEqual({ runId: 1, values: [5, 4] });
    run.pause();
    await tick();
    expect(run.snapshot).toMatchObject({ phase: 'paused', error: null, log: { runId: 1, values: [5, 4] } });
    run.start(); // resume: the same run, sent with what the page holds
    expect(calls[1]?.log).toEqual({ runId: 1, values: [5, 4] });
    calls[1]?.update({ runId: 1, values: [3] });
    calls[1]?.update({ runId: 7, values: [99] }); // not this run's: ignored
    calls[1]?.answer({ runId: 1, total: 3 });
    await tick();
    expect(run.snapshot).toMatchObject({ phase: 'finished', answer: { runId: 1, total: 3 } });
    expect(run.snapshot.log?.values).toEqual([5, 4, 3]);
    run.start(); // a finished run does not start again
    expect(calls.length).toBe(2);
  });

  it('Reset forgets the run: late updates and answers of it are ignored, the next Start is a new run', async () => {
    const { run, calls } = harness();
    run.start();
    run.reset();
    calls[0]?.update({ runId: 1, values: [1] });
    await tick();
    expect(run.snapshot).toEqual({ phase: 'idle', log: null, answer: null, error: null });
    run.start();
    expect(calls[1]?.log).toEqual({ runId: 2, values: [] });
    calls[0]?.answer({ runId: 1, total: 0 });
    await tick();
    expect(run.snapshot.phase).toBe('running');
  });

  it('a failure shows its message and keeps the log; a malformed update is an error, the run goes on', async () => {
    const { run, calls, snapshots } = harness();
    run.start();
    calls[0]?.update({ runId: 1, values: 'x' });
    expect(run.snapshot).toMatchObject({ phase: 'running', error: 'malformed update' });
    calls[0]?.fail(new Error('the worker ran out of memory'));
    await tick();
    expect(run.snapshot).toMatchObject({ phase: 'error', error: 'the worker ran out of memory', log: { runId: 1 } });
    run.start(); // retry the same run
    expect(calls[1]?.log.runId).toBe(1);
    expect(snapshots.length).toBeGreaterThan(4);
  });
});
