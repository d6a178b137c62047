import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { CaptionRequest, CaptionResponses } from './protocol';

export type CaptionClient = InferenceClient<CaptionRequest, CaptionResponses>;

/**
 * The client of a new inference worker, restarted after a crash (browser only; the URL is written here so webpack
 * bundles the worker).
 */
export function createCaptionClient(): CaptionClient {
  // A factory, not a worker: after a crash the client can start a fresh one (the kit's restart).
  return new InferenceClient<CaptionRequest, CaptionResponses>(
    () =>
      new Worker(new URL('./inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'inference',
      }) as unknown as WorkerLike,
  );
}
