import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { GatesRequest, GatesResponses } from './protocol';

export type TrainingClient = InferenceClient<GatesRequest, GatesResponses>;

/**
 * The client of a new training worker, restarted after a crash (browser only; the URL is written here so webpack
 * bundles the worker).
 */
export function createTrainingClient(): TrainingClient {
  // A factory, not a worker: after a crash the client can start a fresh one (the kit's restart).
  return new InferenceClient<GatesRequest, GatesResponses>(
    () =>
      new Worker(new URL('./training.worker.ts', import.meta.url), {
        type: 'module',
        name: 'training',
      }) as unknown as WorkerLike,
  );
}
