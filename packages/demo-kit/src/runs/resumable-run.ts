// A long worker request the page can pause and resume — a training run streaming its progress: Start sends a request
// for a new run, Pause cancels it (the worker keeps the run), Resume sends the same run again saying what the page
// holds, Reset forgets it. The page keeps one log per run, appended from the streamed updates; updates and answers
// of an older run are ignored. Plain TypeScript (useResumableRun is the React side), tested with a fake sender.
import { CancelledError, isSuperseded } from '../client';

export type RunPhase = 'idle' | 'running' | 'paused' | 'finished' | 'error';

export interface RunSnapshot<L, A> {
  phase: RunPhase;
  /** What the page holds of the current run (null before Start and after Reset). */
  log: L | null;
  /** The worker's answer once the run finished. */
  answer: A | null;
  error: string | null;
}

export interface ResumableRunOptions<L extends { runId: number }, A extends { runId: number }> {
  /** The log of a fresh run `runId` (nothing held yet). */
  newLog(runId: number): L;
  /**
   * Send the request that starts or continues `log`'s run (its runId and what it holds); resolve with the answer at
   * the end, reject with CancelledError when `signal` aborts. Streamed updates go to `onUpdate`.
   */
  send(log: L, signal: AbortSignal, onUpdate: (update: unknown) => void): Promise<A>;
  /** `log` with an update appended; null when the update is not one of this run's (it is ignored). */
  append(log: L, update: unknown): L | null;
  /** Called with every new snapshot. */
  onChange(snapshot: RunSnapshot<L, A>): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class ResumableRun<L extends { runId: number }, A extends { runId: number }> {
  private nextRunId = 1;
  private abort: AbortController | null = null;
  private current: RunSnapshot<L, A> = { phase: 'idle', log: null, answer: null, error: null };

  constructor(private readonly options: ResumableRunOptions<L, A>) {}

  get snapshot(): RunSnapshot<L, A> {
    return this.current;
  }

  /** Start a new run (idle, error without a log) or resume the paused or failed one. */
  start(): void {
    const { phase } = this.current;
    if (phase === 'running' || phase === 'finished') return;
    let log = this.current.log;
    if (phase === 'idle' || !log) {
      log = this.options.newLog(this.nextRunId++);
      this.set({ log, answer: null });
    }
    const runId = log.runId;
    const abort = new AbortController();
    this.abort = abort;
    this.set({ phase: 'running', error: null });
    const mine = () => this.current.log?.runId === runId;
    this.options
      .send(log, abort.signal, (update) => {
        const now = this.current.log;
        if (!now || now.runId !== runId) return;
        try {
          const next = this.options.append(now, update);
          if (next) this.set({ log: next });
        } catch (e) {
          this.set({ error: message(e) });
        }
      })
      .then((answer) => {
        if (!mine() || answer.runId !== runId) return;
        this.abort = null;
        this.set({ answer, phase: 'finished' });
      })
      .catch((e: unknown) => {
        if (e instanceof CancelledError || isSuperseded(e) || !mine()) return;
        this.abort = null;
        this.set({ error: message(e), phase: 'error' });
      });
  }

  /** Cancel the running request; the log stays and Start resumes the same run. */
  pause(): void {
    if (this.current.phase !== 'running') return;
    this.abort?.abort();
    this.abort = null;
    this.set({ phase: 'paused' });
  }

  /** Forget the run (cancelling its request); the next Start begins a new one. */
  reset(): void {
    this.abort?.abort();
    this.abort = null;
    this.set({ phase: 'idle', log: null, answer: null, error: null });
  }

  private set(change: Partial<RunSnapshot<L, A>>): void {
    this.current = { ...this.current, ...change };
    this.options.onChange(this.current);
  }
}
