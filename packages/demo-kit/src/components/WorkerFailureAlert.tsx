'use client';
import type { InferenceClient } from '../client';
import { useWorkerFailure } from '../hooks/useWorkerFailure';
import type { AppRequest } from '../protocol';

// biome-ignore lint: any client, whatever its app requests
type AnyClient = InferenceClient<AppRequest, any>;

/**
 * Says that the client's worker stopped (crashed or could not start) and offers to start a new one, for pages or
 * panels without a ModelStatus (which says the same for a model). Renders nothing while the worker works.
 */
export function WorkerFailureAlert({ client, what = 'The worker' }: { client: AnyClient | null; what?: string }) {
  const failure = useWorkerFailure(client);
  if (!client || failure === null) return null;
  return (
    <p className="error" role="alert">
      {what} stopped: {failure}.
      {client.canRestart ? (
        <>
          {' '}
          <button type="button" className="retry" onClick={() => void client.restart()}>
            Restart it
          </button>
        </>
      ) : (
        ' Reload the page to start it again.'
      )}
    </p>
  );
}
