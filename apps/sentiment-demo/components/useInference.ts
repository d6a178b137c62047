'use client';
import { useEffect, useState } from 'react';
import { createInferenceClient, type InferenceClient } from '../lib/inference-client';
import type { Manifest, ModelKind, ShippedModel } from '../lib/protocol';

/** One inference worker for the page's lifetime (created after mount: Workers exist only in the browser). */
export function useInferenceClient(): InferenceClient | null {
  const [client, setClient] = useState<InferenceClient | null>(null);
  useEffect(() => {
    const c = createInferenceClient();
    setClient(c);
    return () => c.dispose();
  }, []);
  return client;
}

export type ManifestState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; models: ShippedModel[] };

/** The shipped models of one kind, from /models/manifest.json (written at build time by scripts/copy-models.mjs). */
export function useShippedModels(kind: ModelKind): ManifestState {
  const [state, setState] = useState<ManifestState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    fetch('/models/manifest.json')
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const manifest = (await res.json()) as Manifest;
        if (live) setState({ status: 'ready', models: manifest.models.filter((m) => m.kind === kind) });
      })
      .catch((e: unknown) => {
        if (live) setState({ status: 'error', message: `Could not load the model list (${e instanceof Error ? e.message : String(e)}).` });
      });
    return () => {
      live = false;
    };
  }, [kind]);
  return state;
}

export type ModelLoadState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; wasm: boolean } | { status: 'error'; message: string };

/**
 * Fetch and build `model` in the worker as soon as it is chosen (weights are megabytes), so the page can say
 * "loading" instead of looking stuck, and report which kernels run it.
 */
export function useModelLoad(client: InferenceClient | null, model: ShippedModel | undefined): ModelLoadState {
  const [state, setState] = useState<ModelLoadState>({ status: 'idle' });
  const name = model?.name;
  useEffect(() => {
    if (!client || !name) return;
    let live = true;
    setState({ status: 'loading' });
    Promise.all([client.request(`load:${name}`, { type: 'load', model: name }), client.request('status', { type: 'status' })])
      .then(([, status]) => live && setState({ status: 'ready', wasm: status.wasm }))
      .catch((e: unknown) => live && setState({ status: 'error', message: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [client, name]);
  return state;
}
