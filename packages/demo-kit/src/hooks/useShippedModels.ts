'use client';
import { useEffect, useState } from 'react';
import { fetchManifest, type ShippedModel } from '../manifest';

export type ManifestState<M extends ShippedModel = ShippedModel> =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; models: M[] };

/** The shipped models of one kind, from the app's models/manifest.json (under its base path). */
export function useShippedModels<M extends ShippedModel = ShippedModel>(kind: string): ManifestState<M> {
  const [state, setState] = useState<ManifestState<M>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    fetchManifest<M>()
      .then((manifest) => live && setState({ status: 'ready', models: manifest.models.filter((m) => m.kind === kind) }))
      .catch((e: unknown) => {
        if (!live) return;
        setState({
          status: 'error',
          message: `Could not load the model list (${e instanceof Error ? e.message : String(e)}).`,
        });
      });
    return () => {
      live = false;
    };
  }, [kind]);
  return state;
}
