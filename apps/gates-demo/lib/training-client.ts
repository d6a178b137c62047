import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { GatesRequest, GatesResponses } from './protocol';

export type TrainingClient = InferenceClient<GatesRequest, GatesResponses>;

/** The client of a new training worker (browser only; the URL is written here so webpack bundles the worker). */
export function createTrainingClient(): TrainingClient {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
  return new InferenceClient<GatesRequest, GatesResponses>(worker as unknown as WorkerLike);
}
