'use client';
import { useEffect, useState } from 'react';
import type { InferenceClient } from '../client';
import type { AppRequest } from '../protocol';

// biome-ignore lint: any client, whatever its app requests
type AnyClient = InferenceClient<AppRequest, any>;

/**
 * Why the client's worker stopped (crashed or could not start), or null while it works — null again once it is
 * restarted: for pages that load no model (so no ModelStatus) but must still show a crash, e.g. a page training a
 * small network in the worker (`client.restart()` starts a new one).
 */
export function useWorkerFailure(client: AnyClient | null): string | null {
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!client) return;
    const unsubscribeFailure = client.onFailure(setFailure);
    const unsubscribeRestart = client.onRestart(() => setFailure(null));
    return () => {
      unsubscribeFailure();
      unsubscribeRestart();
    };
  }, [client]);
  return failure;
}

/** How many times the client's worker was restarted: a dependency for effects that must run again after one. */
export function useWorkerRestarts(client: AnyClient | null): number {
  const [restarts, setRestarts] = useState(client?.restarts ?? 0);
  useEffect(() => {
    if (!client) return;
    setRestarts(client.restarts);
    return client.onRestart(() => setRestarts(client.restarts));
  }, [client]);
  return restarts;
}
