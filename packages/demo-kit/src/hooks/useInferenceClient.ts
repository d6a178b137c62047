'use client';
import { useEffect, useState } from 'react';
import type { InferenceClient } from '../client';
import type { AppRequest, ResponseMap } from '../protocol';

/**
 * One inference worker for the page's lifetime, created after mount (Workers exist only in the browser) by
 * `create` — the app's `() => new InferenceClient(new Worker(new URL('./inference.worker.ts', import.meta.url)))`,
 * written in the app so the bundler sees the worker's URL.
 */
export function useInferenceClient<Req extends AppRequest, Res extends ResponseMap<Req>>(
  create: () => InferenceClient<Req, Res>,
): InferenceClient<Req, Res> | null {
  const [client, setClient] = useState<InferenceClient<Req, Res> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: one worker per mount, whatever `create`'s identity
  useEffect(() => {
    const c = create();
    setClient(c);
    return () => c.dispose();
  }, []);
  return client;
}
