import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { MusicRequest, MusicResponses, TrainingRequest, TrainingResponses } from './protocol';

export type MusicClient = InferenceClient<MusicRequest, MusicResponses>;
export type TrainingClient = InferenceClient<TrainingRequest, TrainingResponses>;

// Factories, not workers: after a crash the kit's client starts a fresh worker (browser only; the URLs are written
// here so webpack bundles the workers).

/** The client of the inference worker, restarted after a crash. */
export function createMusicClient(): MusicClient {
  return new InferenceClient<MusicRequest, MusicResponses>(
    () =>
      new Worker(new URL('./inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'inference',
      }) as unknown as WorkerLike,
  );
}

/** The client of the training worker ("Train it here"), restarted after a crash. */
export function createTrainingClient(): TrainingClient {
  return new InferenceClient<TrainingRequest, TrainingResponses>(
    () =>
      new Worker(new URL('./training.worker.ts', import.meta.url), {
        type: 'module',
        name: 'training',
      }) as unknown as WorkerLike,
  );
}
