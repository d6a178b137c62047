// Messages between a page (InferenceClient) and its inference Web Worker (serveWorker). Generic over the app's own
// requests: an app declares a union of request objects discriminated by `type`, and a map from each `type` to the
// response its handler returns.

/** What every app request looks like: a discriminating `type` and whatever fields the app needs. */
export interface AppRequest {
  type: string;
}

/** The response type of each request type of `Req`. */
export type ResponseMap<Req extends AppRequest> = { [K in Req['type']]: unknown };

/** Built into every worker run by serveWorker: fetch and build a model ahead of its first use. */
export interface LoadModelRequest {
  type: '$load';
  model: string;
}

/** Built in: which kernels the worker runs on (e.g. "WebAssembly SIMD"). */
export interface StatusRequest {
  type: '$status';
}

export interface StatusResponse {
  /** Whatever the app's `backend()` says, e.g. "WebAssembly SIMD" or "TypeScript". */
  backend: string;
}

export type KitRequest = LoadModelRequest | StatusRequest;

/** Bytes fetched so far of what a request downloads (`total` is 0 when the server did not say). */
export interface Progress {
  loaded: number;
  total: number;
}

/** Page → worker. `lane` groups requests that replace each other: only the newest of a lane is worth finishing. */
export type ClientMessage<Req extends AppRequest = AppRequest> =
  | { kind: 'request'; id: number; lane: string; request: Req | KitRequest }
  | { kind: 'cancel'; id: number };

/** Why a request ended without a result. */
export type FailureReason = 'superseded' | 'cancelled' | 'error';

/** Worker → page. */
export type WorkerReply =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'failure'; id: number; reason: FailureReason; error: string }
  | { kind: 'progress'; id: number; progress: Progress }
  /** An intermediate result of a long request (e.g. the loss after each training step). */
  | { kind: 'update'; id: number; update: unknown }
  /** The worker cannot serve anything (its `init` failed): every pending and later request fails with this. */
  | { kind: 'fatal'; error: string };
