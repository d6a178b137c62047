'use client';
import { useEffect, useState } from 'react';
import { isSuperseded, type InferenceClient } from '../client';
import type { ShippedModel } from '../manifest';
import type { AppRequest, Progress } from '../protocol';

export type ModelLoadState =
  | { status: 'idle' }
  | { status: 'loading'; progress?: Progress }
  | { status: 'ready'; backend: string }
  | { status: 'error'; message: string }
  /** The worker crashed or could not start (after or during the load). */
  | { status: 'worker-failed'; message: string };

// biome-ignore lint: any client, whatever its app requests
type AnyClient = InferenceClient<AppRequest, any>;

/**
 * Fetch and build `model` in the worker as soon as it is chosen (weights are megabytes), so the page can show the
 * download progress instead of looking stuck, then which kernels run it; a worker crash at any time shows too.
 */
export function useModelLoad(client: AnyClient | null, model: ShippedModel | undefined): ModelLoadState {
  const [state, setState] = useState<ModelLoadState>({ status: 'idle' });
  const name = model?.name;
  useEffect(() => {
    if (!client || !name) return;
    let live = true;
    setState({ status: 'loading' });
    const unsubscribe = client.onFailure((message) => live && setState({ status: 'worker-failed', message }));
    const onProgress = (progress: Progress) => live && setState({ status: 'loading', progress });
    Promise.all([client.loadModel(name, { onProgress }), client.status()])
      .then(([, status]) => live && setState({ status: 'ready', backend: status.backend }))
      .catch((e: unknown) => {
        if (!live || client.failure !== null || isSuperseded(e)) return;
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, name]);
  return state;
}
