'use client';
import { useEffect, useState } from 'react';
import { fetchManifest, type ShippedModel } from '../manifest';

export type ManifestState<M extends ShippedModel = ShippedModel> =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; models: M[] };

/** Does a manifest entry have one of `kinds` (one kind, or several: a page offering models of different kinds)? */
export function hasKind(model: ShippedModel, kinds: string | readonly string[]): boolean {
  return typeof kinds === 'string' ? model.kind === kinds : kinds.includes(model.kind);
}

/** The shipped models of a kind (or of several kinds), from the app's models/manifest.json (under its base path). */
export function useShippedModels<M extends ShippedModel = ShippedModel>(
  kinds: string | readonly string[],
): ManifestState<M> {
  const key = typeof kinds === 'string' ? kinds : kinds.join('\n');
  const [state, setState] = useState<ManifestState<M>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    fetchManifest<M>()
      .then(
        (manifest) =>
          live && setState({ status: 'ready', models: manifest.models.filter((m) => hasKind(m, key.split('\n'))) }),
      )
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
  }, [key]);
  return state;
}
