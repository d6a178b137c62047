import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { TextRequest, TextResponses } from './protocol';

export type TextClient = InferenceClient<TextRequest, TextResponses>;

/**
 * The client of a new inference worker, restarted after a crash (browser only; the URL is written here so webpack
 * bundles the worker).
 */
export function createTextClient(): TextClient {
  // A factory, not a worker: after a crash the client can start a fresh one (the kit's restart).
  return new InferenceClient<TextRequest, TextResponses>(
    () =>
      new Worker(new URL('./inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'inference',
      }) as unknown as WorkerLike,
  );
}
