'use client';
import { useRef, useState } from 'react';
import { ResumableRun, type ResumableRunOptions, type RunSnapshot } from '../runs/resumable-run';

/**
 * A ResumableRun for a page: its snapshot as state, and start / pause / reset. `options` may change between renders
 * (a new client, new settings); the run always calls the latest.
 */
export function useResumableRun<L extends { runId: number }, A extends { runId: number }>(
  options: Omit<ResumableRunOptions<L, A>, 'onChange'>,
): RunSnapshot<L, A> & { start(): void; pause(): void; reset(): void } {
  const latest = useRef(options);
  latest.current = options;
  const [snapshot, setSnapshot] = useState<RunSnapshot<L, A>>({ phase: 'idle', log: null, answer: null, error: null });
  const run = useRef<ResumableRun<L, A> | null>(null);
  run.current ??= new ResumableRun<L, A>({
    newLog: (runId) => latest.current.newLog(runId),
    send: (log, signal, onUpdate) => latest.current.send(log, signal, onUpdate),
    append: (log, update) => latest.current.append(log, update),
    onChange: setSnapshot,
  });
  const current = run.current;
  return {
    ...snapshot,
    start: () => current.start(),
    pause: () => current.pause(),
    reset: () => current.reset(),
  };
}
