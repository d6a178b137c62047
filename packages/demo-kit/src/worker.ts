// The worker's side of the inference channel. An app's worker file is its model calls and one serveWorker call:
//
//   serveWorker<MyRequest, MyResponses, MyModel>({
//     init: () => initWasm(),
//     backend: () => (isWasmReady() ? 'WebAssembly SIMD' : 'TypeScript'),
//     loadModel: async (name, { onProgress }) => build(await fetchModelFiles(name, { ... }, { onProgress })),
//     handlers: { classify: async (req, ctx) => (await ctx.model(req.model)).classify(req.text) },
//   });
//
// Requests run one at a time in arrival order. A request is dropped (answered 'superseded') when a newer request of
// its lane arrived before it started or before one of its `checkpoint()`s, and 'cancelled' when the page cancelled it.
import type { AppRequest, ClientMessage, Progress, ResponseMap, WorkerReply } from './protocol';
import { describeHandlerError, describeModelLoadError } from './errors';
import { isModelName } from './manifest';

export { fetchModelFiles, modelFileUrl, type FileContents, type FetchModelFilesOptions } from './manifest';
export { basePath } from './base-path';
export {
  describeHandlerError,
  describeModelLoadError,
  errorMessage,
  isOutOfMemory,
  ModelDownloadError,
} from './errors';

export interface HandlerContext<M> {
  /** The request's lane and id. */
  lane: string;
  id: number;
  /** Let queued messages arrive, then throw (ending the request) if it was superseded or cancelled meanwhile. */
  checkpoint(): Promise<void>;
  /** Model `name`, built once by `loadModel` and shared by every request (a failed load is retried next time). */
  model(name: string): Promise<M>;
  /** Report download progress of this request to the page. */
  progress(progress: Progress): void;
  /** Send an intermediate result to the page (its `onUpdate`), e.g. the loss after a training step. */
  update(value: unknown): void;
}

export type Handlers<Req extends AppRequest, Res extends ResponseMap<Req>, M> = {
  [K in Req['type']]: (request: Extract<Req, { type: K }>, context: HandlerContext<M>) => Res[K] | Promise<Res[K]>;
};

export interface ServeWorkerOptions<Req extends AppRequest, Res extends ResponseMap<Req>, M> {
  /** Run once before any request (e.g. compile the WebAssembly kernels); if it fails every request says why. */
  init?: () => unknown;
  /** What the models run on, for the page's model status line. */
  backend?: () => string;
  /** Fetch and build model `name` (report download progress through onProgress). */
  loadModel?: (name: string, context: { onProgress: (progress: Progress) => void }) => Promise<M>;
  handlers: Handlers<Req, Res, M>;
}

/** The part of a DedicatedWorkerGlobalScope serveWorker uses (a fake one in tests). */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<ClientMessage<AppRequest>>) => void) | null;
  postMessage(reply: WorkerReply): void;
}

/** A model load failed; its message is already in the visitor's words (describeModelLoadError). */
class ModelLoadError extends Error {}

class Dropped extends Error {
  constructor(readonly reason: 'superseded' | 'cancelled') {
    super(reason);
  }
}

interface ModelLoad<M> {
  promise: Promise<M>;
  listeners: Set<(progress: Progress) => void>;
}

/** Answer the page's requests with `options.handlers`; returns a promise of the queue's end (for tests). */
export function serveWorker<Req extends AppRequest, Res extends ResponseMap<Req>, M = never>(
  options: ServeWorkerOptions<Req, Res, M>,
  scope: WorkerScope = globalThis as unknown as WorkerScope,
): { idle(): Promise<void> } {
  const ready: Promise<void> = Promise.resolve()
    .then(() => options.init?.())
    .then(() => undefined);
  let startError: string | null = null;
  ready.catch((e: unknown) => {
    startError = message(e);
    scope.postMessage({ kind: 'fatal', error: startError });
  });
  const newest = new Map<string, number>();
  const cancelled = new Set<number>();
  const loads = new Map<string, ModelLoad<M>>();
  let queue: Promise<void> = Promise.resolve();

  function model(name: string, onProgress?: (progress: Progress) => void): Promise<M> {
    const load = options.loadModel;
    if (!load) return Promise.reject(new Error('this worker loads no models (serveWorker has no loadModel)'));
    if (!isModelName(name)) return Promise.reject(new Error(`bad model name ${JSON.stringify(name)}`));
    let entry = loads.get(name);
    if (!entry) {
      const listeners = new Set<(progress: Progress) => void>();
      const notifyAll = (p: Progress): void => {
        for (const listener of listeners) listener(p);
      };
      // A failed load says what happened in the visitor's words: download failed or cut off, damaged files, memory.
      const promise = ready.then(() =>
        load(name, { onProgress: notifyAll }).catch((e: unknown) => {
          throw new ModelLoadError(describeModelLoadError(name, e));
        }),
      );
      entry = { promise, listeners };
      loads.set(name, entry);
      promise.then(
        () => listeners.clear(),
        () => loads.delete(name), // let a later request retry
      );
    }
    if (onProgress) entry.listeners.add(onProgress);
    return entry.promise;
  }

  function check(lane: string, id: number): void {
    if (cancelled.has(id)) throw new Dropped('cancelled');
    if (newest.get(lane) !== id) throw new Dropped('superseded');
  }

  async function run(id: number, lane: string, request: Req | { type: '$load'; model: string } | { type: '$status' }) {
    await ready;
    check(lane, id);
    const progress = (p: Progress) => scope.postMessage({ kind: 'progress', id, progress: p });
    if (request.type === '$load') {
      await model((request as { model: string }).model, progress);
      return { loaded: true };
    }
    if (request.type === '$status') return { backend: options.backend?.() ?? 'JavaScript' };
    const handler = (options.handlers as Record<string, ((r: unknown, c: HandlerContext<M>) => unknown) | undefined>)[
      request.type
    ];
    if (!handler) throw new Error(`unknown request type ${JSON.stringify(request.type)}`);
    const context: HandlerContext<M> = {
      lane,
      id,
      checkpoint: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        check(lane, id);
      },
      model: (name) => model(name, progress),
      progress,
      update: (value) => scope.postMessage({ kind: 'update', id, update: value }),
    };
    return handler(request, context);
  }

  scope.onmessage = (event) => {
    const msg = event.data;
    if (msg.kind === 'cancel') {
      cancelled.add(msg.id);
      return;
    }
    const { id, lane, request } = msg;
    newest.set(lane, id);
    queue = queue.then(async () => {
      let reply: WorkerReply;
      try {
        reply = { kind: 'result', id, result: await run(id, lane, request as Req) };
      } catch (e) {
        if (e instanceof Dropped) reply = { kind: 'failure', id, reason: e.reason, error: e.message };
        else
          reply = {
            kind: 'failure',
            id,
            reason: 'error',
            error: startError
              ? `the worker could not start: ${startError}`
              : e instanceof ModelLoadError
                ? e.message
                : describeHandlerError(e),
          };
      }
      cancelled.delete(id);
      scope.postMessage(reply);
    });
  };
  return { idle: () => queue };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
