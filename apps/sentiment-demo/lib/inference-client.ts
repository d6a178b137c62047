import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { TextRequest, TextResponses } from './protocol';

export type TextClient = InferenceClient<TextRequest, TextResponses>;

/** The client of a new inference worker (browser only; the URL is written here so webpack bundles the worker). */
export function createTextClient(): TextClient {
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return new InferenceClient<TextRequest, TextResponses>(worker as unknown as WorkerLike);
}
