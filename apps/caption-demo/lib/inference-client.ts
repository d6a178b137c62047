import { InferenceClient, type WorkerLike } from '@recurrent/demo-kit';
import type { CaptionRequest, CaptionResponses } from './protocol';

export type CaptionClient = InferenceClient<CaptionRequest, CaptionResponses>;

/** The client of a new inference worker (browser only; the URL is written here so webpack bundles the worker). */
export function createCaptionClient(): CaptionClient {
  const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return new InferenceClient<CaptionRequest, CaptionResponses>(worker as unknown as WorkerLike);
}
