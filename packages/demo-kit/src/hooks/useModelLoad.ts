'use client';
import { useEffect, useState } from 'react';
import { isSuperseded, type InferenceClient } from '../client';
import type { ShippedModel } from '../manifest';
import type { AppRequest, Progress } from '../protocol';

export type ModelLoadState =
  | { status: 'idle' }
  | { status: 'loading'; progress?: Progress }
  | { status: 'ready'; backend: string }
  /** `retry` loads the model again (the worker forgets a failed load). */
  | { status: 'error'; message: string; retry?: () => void }
  /**
   * The worker crashed or could not start (after or during the load). `retry` starts a new worker and loads the
   * model again; it is missing when the client cannot restart its worker (made from a worker, not a factory).
   */
  | { status: 'worker-failed'; message: string; retry?: () => void };

// biome-ignore lint: any client, whatever its app requests
type AnyClient = InferenceClient<AppRequest, any>;

/**
 * Fetch and build `model` in the worker as soon as it is chosen (weights are megabytes), so the page can show the
 * download progress instead of looking stuck, then which kernels run it; a failed load or a worker crash at any time
 * shows too, with a retry. After the worker restarts (its retry, or the client's own restart at the next request)
 * the model is loaded again.
 */
export function useModelLoad(client: AnyClient | null, model: ShippedModel | undefined): ModelLoadState {
  const [state, setState] = useState<ModelLoadState>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);
  const name = model?.name;
  useEffect(() => {
    if (!client) return;
    return client.onRestart(() => setAttempt((a) => a + 1));
  }, [client]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    if (!client || !name) return;
    let live = true;
    const retryLoad = () => setAttempt((a) => a + 1);
    const restartWorker = client.canRestart ? () => void client.restart() : undefined;
    setState({ status: 'loading' });
    const unsubscribe = client.onFailure(
      (message) => live && setState({ status: 'worker-failed', message, retry: restartWorker }),
    );
    const onProgress = (progress: Progress) => live && setState({ status: 'loading', progress });
    Promise.all([client.loadModel(name, { onProgress }), client.status()])
      .then(([, status]) => live && setState({ status: 'ready', backend: status.backend }))
      .catch((e: unknown) => {
        if (!live || client.failure !== null || isSuperseded(e)) return;
        setState({ status: 'error', message: e instanceof Error ? e.message : String(e), retry: retryLoad });
      });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client, name, attempt]);
  return state;
}
