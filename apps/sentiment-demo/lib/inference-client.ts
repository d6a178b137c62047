import type { ResponseOf, WorkerMessage, WorkerReply, WorkerRequest } from './protocol';

/** Thrown (and swallowed by callers) when a newer request of the same lane replaced this one. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}

export function isSuperseded(e: unknown): boolean {
  return e instanceof SupersededError;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Minimal view of a Worker, so the client can be tested with a fake one. */
export interface WorkerLike {
  postMessage(message: WorkerMessage): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/**
 * Promise-based requests to the inference worker. `request(lane, req)` resolves with the worker's answer, or rejects
 * with SupersededError when a newer request of the same lane was sent before this one finished.
 */
export class InferenceClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: WorkerLike) {
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      const error = new Error(`the inference worker failed: ${event.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  request<R extends WorkerRequest>(lane: string, request: R): Promise<ResponseOf[R['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, lane, request });
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new SupersededError());
    this.pending.clear();
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(reply.superseded ? new SupersededError() : new Error(reply.error));
  }
}

/** The client of a new inference worker (browser only). */
export function createInferenceClient(): InferenceClient {
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return new InferenceClient(worker as unknown as WorkerLike);
}
