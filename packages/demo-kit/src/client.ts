// The page's side of the inference channel: promise-based, typed requests to a Web Worker run by serveWorker.
import type {
  AppRequest,
  ClientMessage,
  KitRequest,
  Progress,
  ResponseMap,
  StatusResponse,
  WorkerReply,
} from './protocol';

/** A newer request of the same lane replaced this one before it finished. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}

/** The caller cancelled this request (AbortSignal or `cancel(lane)`). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** The worker crashed or could not start: no request can be answered any more. */
export class WorkerFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailedError';
  }
}

/** True when nobody wants the answer any more (superseded or cancelled): callers ignore these rejections. */
export function isSuperseded(e: unknown): boolean {
  return e instanceof SupersededError || e instanceof CancelledError;
}

/** The part of a Worker the client uses, so it can be tested with a fake one. */
export interface WorkerLike {
  postMessage(message: ClientMessage<AppRequest>): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
}

/**
 * What the client talks to: a worker, or a function that starts a new one. Given a function, the client can start a
 * fresh worker after a crash (`restart()`, and on its own at the next request once a worker that had been answering
 * crashed); given a worker, a crash is final.
 */
export type WorkerSource = WorkerLike | (() => WorkerLike);

export interface RequestOptions {
  /** Aborting rejects the request with CancelledError at once and tells the worker to drop it. */
  signal?: AbortSignal;
  /** Download progress of what the request fetches (model files). */
  onProgress?: (progress: Progress) => void;
  /** Intermediate results the handler sends with `context.update(…)` before its answer (e.g. training losses). */
  onUpdate?: (update: unknown) => void;
}

interface Pending {
  lane: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: Progress) => void;
  onUpdate?: (update: unknown) => void;
  detach?: () => void;
}

/**
 * Typed requests to an inference worker. `request(lane, req)` resolves with the handler's answer, or rejects with
 * SupersededError when a newer request of the same lane was sent before this one finished, CancelledError when the
 * caller aborted it, WorkerFailedError when the worker crashed or failed to start (every pending request then fails
 * at once instead of hanging), or an Error with the handler's message.
 *
 * Made from a worker factory (`new InferenceClient(() => new Worker(…))`), the client recovers from a crash: the
 * next request starts a fresh worker when the crashed one had been answering (a crash caused by an input, such as
 * running out of memory), and `restart()` starts one whatever happened (a worker that never answered — a broken
 * script, a failed start — is not restarted on its own, so a page does not restart it in a loop). Models are loaded
 * again by the new worker on first use; `onRestart` listeners (useModelLoad) hear of each restart.
 */
export class InferenceClient<Req extends AppRequest, Res extends ResponseMap<Req>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failureMessage: string | null = null;
  private readonly failureListeners = new Set<(message: string) => void>();
  private readonly restartListeners = new Set<() => void>();
  private readonly createWorker: (() => WorkerLike) | null;
  private worker: WorkerLike;
  /** The current worker has sent at least one reply (it started and was working). */
  private answered = false;
  /** The next request may start a new worker on its own (the failed one had been answering). */
  private restartOnNextRequest = false;
  private restartCount = 0;
  private disposed = false;

  constructor(source: WorkerSource) {
    this.createWorker = typeof source === 'function' ? source : null;
    this.worker = this.attach(typeof source === 'function' ? source() : source);
  }

  private attach(worker: WorkerLike): WorkerLike {
    worker.onmessage = (event) => {
      if (worker === this.worker) this.receive(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker !== this.worker) return;
      this.fail(`the inference worker failed: ${event.message || 'it could not be started or crashed'}`);
    };
    worker.onmessageerror = () => {
      if (worker === this.worker) this.fail('the inference worker sent a message that could not be read');
    };
    return worker;
  }

  /** Whether `restart()` can start a new worker (the client was made from a worker factory). */
  get canRestart(): boolean {
    return this.createWorker !== null;
  }

  /** How many times a new worker was started. */
  get restarts(): number {
    return this.restartCount;
  }

  /**
   * Start a new worker in place of the current one (crashed or not; requests still pending on the old one fail
   * with WorkerFailedError), clear the failure and tell the `onRestart` listeners. False when the client was made
   * from a worker instead of a factory, or disposed, so it cannot.
   */
  restart(): boolean {
    if (!this.createWorker || this.disposed) return false;
    const old = this.worker;
    this.worker = this.attach(this.createWorker());
    old.terminate();
    this.rejectPending(new WorkerFailedError('the inference worker was restarted'));
    this.failureMessage = null;
    this.answered = false;
    this.restartOnNextRequest = false;
    this.restartCount++;
    for (const listener of [...this.restartListeners]) listener();
    return true;
  }

  /** Call `listener` after each restart (models must be loaded again); returns the unsubscribe function. */
  onRestart(listener: () => void): () => void {
    this.restartListeners.add(listener);
    return () => {
      this.restartListeners.delete(listener);
    };
  }

  /** Send `request` on `lane`; a later request on the same lane supersedes it. */
  request<R extends Req>(lane: string, request: R, options: RequestOptions = {}): Promise<Res[R['type']]> {
    return this.send(lane, request, options) as Promise<Res[R['type']]>;
  }

  /** Fetch and build a model in the worker (progress through `onProgress`); resolves when it is ready. */
  async loadModel(model: string, options: RequestOptions = {}): Promise<void> {
    await this.send(`$load:${model}`, { type: '$load', model }, options);
  }

  /** Which kernels the worker runs on. */
  status(): Promise<StatusResponse> {
    return this.send('$status', { type: '$status' }, {}) as Promise<StatusResponse>;
  }

  /** Cancel every pending request of `lane`. */
  cancel(lane: string): void {
    for (const [id, p] of this.pending) if (p.lane === lane) this.drop(id, new CancelledError());
  }

  /** Why the worker can no longer answer, or null while it works (null again after a restart). */
  get failure(): string | null {
    return this.failureMessage;
  }

  /** Call `listener` when the worker fails (at once if it already has); returns the unsubscribe function. */
  onFailure(listener: (message: string) => void): () => void {
    if (this.failureMessage !== null) listener(this.failureMessage);
    this.failureListeners.add(listener);
    return () => {
      this.failureListeners.delete(listener);
    };
  }

  /** Stop the worker for good (no restart after this); pending requests are cancelled. */
  dispose(): void {
    this.disposed = true;
    this.restartOnNextRequest = false;
    this.worker.terminate();
    for (const id of [...this.pending.keys()]) this.drop(id, new CancelledError(), false);
  }

  private send(lane: string, request: Req | KitRequest, options: RequestOptions): Promise<unknown> {
    if (this.failureMessage !== null && this.restartOnNextRequest) this.restart();
    if (this.failureMessage !== null) return Promise.reject(new WorkerFailedError(this.failureMessage));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { lane, resolve, reject, onProgress: options.onProgress, onUpdate: options.onUpdate };
      const signal = options.signal;
      if (signal) {
        const abort = () => this.drop(id, new CancelledError());
        signal.addEventListener('abort', abort, { once: true });
        pending.detach = () => signal.removeEventListener('abort', abort);
      }
      this.pending.set(id, pending);
      this.worker.postMessage({ kind: 'request', id, lane, request });
    });
  }

  /** Settle request `id` with `error` now (telling the worker to stop working on it). */
  private drop(id: number, error: Error, notifyWorker = true): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.detach?.();
    if (notifyWorker) this.worker.postMessage({ kind: 'cancel', id });
    p.reject(error);
  }

  private fail(message: string, options: { restartable?: boolean } = {}): void {
    if (this.failureMessage !== null) return;
    this.failureMessage = message;
    this.restartOnNextRequest = this.createWorker !== null && this.answered && options.restartable !== false;
    this.worker.terminate();
    this.rejectPending(new WorkerFailedError(message));
    for (const listener of [...this.failureListeners]) listener(message);
  }

  private rejectPending(error: WorkerFailedError): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.detach?.();
      p.reject(error);
    }
  }

  private receive(reply: WorkerReply): void {
    if (reply.kind === 'fatal') {
      this.fail(`the inference worker could not start: ${reply.error}`, { restartable: false });
      return;
    }
    this.answered = true;
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.kind === 'progress') {
      p.onProgress?.(reply.progress);
      return;
    }
    if (reply.kind === 'update') {
      p.onUpdate?.(reply.update);
      return;
    }
    this.pending.delete(reply.id);
    p.detach?.();
    if (reply.kind === 'result') p.resolve(reply.result);
    else if (reply.reason === 'superseded') p.reject(new SupersededError());
    else if (reply.reason === 'cancelled') p.reject(new CancelledError());
    else p.reject(new Error(reply.error));
  }
}
