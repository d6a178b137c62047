'use client';
import { useEffect, useState } from 'react';
import type { InferenceClient } from '../client';
import type { AppRequest } from '../protocol';

// biome-ignore lint: any client, whatever its app requests
type AnyClient = InferenceClient<AppRequest, any>;

/**
 * Why the client's worker stopped (crashed or could not start), or null while it works: for pages that load no
 * model (so no ModelStatus) but must still show a crash, e.g. a page training a small network in the worker.
 */
export function useWorkerFailure(client: AnyClient | null): string | null {
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!client) return;
    return client.onFailure(setFailure);
  }, [client]);
  return failure;
}
