import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { MusicRequest, MusicResponses, TrainingRequest, TrainingResponses } from './protocol';

export type MusicClient = InferenceClient<MusicRequest, MusicResponses>;
export type TrainingClient = InferenceClient<TrainingRequest, TrainingResponses>;

/** The client of a new inference worker (browser only; the URL is written here so webpack bundles the worker). */
export function createMusicClient(): MusicClient {
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return new InferenceClient<MusicRequest, MusicResponses>(worker as unknown as WorkerLike);
}

/** The client of a new training worker ("Train it here"). */
export function createTrainingClient(): TrainingClient {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
  return new InferenceClient<TrainingRequest, TrainingResponses>(worker as unknown as WorkerLike);
}
