import { Tensor } from '../tensor/tensor.js';
import { FormatError } from '../errors.js';
import type { HyperValue, OptimizerStateDict, ParamState } from './optimizer.js';

/** An optimizer state dict with plain number arrays: safe for JSON.stringify and exact on the way back. */
export interface OptimizerStateJSON {
  optimizer: string;
  hyperparameters: Record<string, HyperValue>;
  state: ({ step: number; dtype: 'float32' | 'float64'; buffers: Record<string, number[]> } | null)[];
}

/** Plain-array form of a state dict. Doubles print exactly in JSON, so a round trip loses nothing. */
export function optimizerStateToJSON(sd: OptimizerStateDict): OptimizerStateJSON {
  return {
    optimizer: sd.optimizer,
    hyperparameters: sd.hyperparameters,
    state: sd.state.map((s) => {
      if (!s) return null;
      const first = Object.values(s.buffers)[0];
      return {
        step: s.step,
        dtype: first instanceof Float32Array ? 'float32' : 'float64',
        buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, b]) => [k, Array.from(b)])),
      };
    }),
  };
}

/** Inverse of {@link optimizerStateToJSON}; shape checks happen in Optimizer.loadStateDict. */
export function optimizerStateFromJSON(json: OptimizerStateJSON): OptimizerStateDict {
  if (typeof json !== 'object' || json === null || !Array.isArray(json.state))
    throw new FormatError('optimizer state JSON: expected {optimizer, hyperparameters, state: [...]}');
  return {
    optimizer: json.optimizer,
    hyperparameters: json.hyperparameters,
    state: json.state.map((s, i): ParamState | null => {
      if (s === null) return null;
      const buffers: ParamState['buffers'] = {};
      for (const [k, v] of Object.entries(s.buffers ?? {})) {
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'number'))
          throw new FormatError(`optimizer state JSON: parameter ${i}: buffer '${k}' must be a list of numbers`);
        buffers[k] = s.dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v);
      }
      return { step: s.step, buffers };
    }),
  };
}

/**
 * Tensors plus string metadata for a safetensors file: buffers as `state.<param index>.<buffer>` (1-D),
 * everything else as JSON under metadata key `optimizer`.
 */
export function optimizerStateToTensors(sd: OptimizerStateDict): {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
} {
  const tensors: Record<string, Tensor> = {};
  const steps: (number | null)[] = [];
  sd.state.forEach((s, i) => {
    steps.push(s ? s.step : null);
    if (s)
      for (const [k, b] of Object.entries(s.buffers)) tensors[`state.${i}.${k}`] = new Tensor(b.slice(), [b.length]);
  });
  const meta = { optimizer: sd.optimizer, hyperparameters: sd.hyperparameters, steps };
  return { tensors, metadata: { optimizer: JSON.stringify(meta) } };
}

/** Inverse of {@link optimizerStateToTensors}. */
export function optimizerStateFromTensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string>,
): OptimizerStateDict {
  let meta: { optimizer: string; hyperparameters: Record<string, HyperValue>; steps: (number | null)[] };
  try {
    meta = JSON.parse(metadata.optimizer ?? '');
  } catch {
    throw new FormatError("optimizer state: metadata key 'optimizer' is missing or not JSON");
  }
  if (!Array.isArray(meta?.steps)) throw new FormatError("optimizer state: metadata 'optimizer' has no steps list");
  const state: (ParamState | null)[] = meta.steps.map((step) => (step === null ? null : { step, buffers: {} }));
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(name);
    const entry = m ? state[Number(m[1])] : undefined;
    if (!m || !entry) throw new FormatError(`optimizer state: unexpected tensor '${name}'`);
    entry.buffers[m[2]!] = t.data;
  }
  return { optimizer: meta.optimizer, hyperparameters: meta.hyperparameters, state };
}
