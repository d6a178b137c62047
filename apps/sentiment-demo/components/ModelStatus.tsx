import type { ShippedModel } from '../lib/protocol';
import type { ModelLoadState } from './useInference';

/** One line under the model picker: loading progress, failure, or which kernels run the model. */
export function ModelStatus({ model, state }: { model: ShippedModel | undefined; state: ModelLoadState }) {
  if (!model || state.status === 'idle') return null;
  if (state.status === 'error') {
    return (
      <p className="error" role="alert">
        Could not load the {model.title} model: {state.message}
      </p>
    );
  }
  return (
    <p className="model-status" role="status" aria-label="Model status">
      {state.status === 'loading'
        ? `Loading the ${model.title} model (${(model.bytes / 1e6).toFixed(1)} MB)…`
        : `${model.title} model ready · running in this browser on ${state.wasm ? 'WebAssembly SIMD' : 'TypeScript'} kernels`}
    </p>
  );
}
