import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { TranslateDemoRequest, TranslateDemoResponses } from './protocol';

export type TranslateClient = InferenceClient<TranslateDemoRequest, TranslateDemoResponses>;

/** The client of a new inference worker (browser only; the URL is written here so webpack bundles the worker). */
export function createTranslateClient(): TranslateClient {
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return new InferenceClient<TranslateDemoRequest, TranslateDemoResponses>(worker as unknown as WorkerLike);
}
