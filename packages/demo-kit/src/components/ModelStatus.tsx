import type { ShippedModel } from '../manifest';
import type { ModelLoadState } from '../hooks/useModelLoad';
import { megabytes } from './ModelPicker';

/** Loading progress ("3.1 of 6.5 MB") once bytes arrive; '' before. */
export function progressText(state: ModelLoadState): string {
  if (state.status !== 'loading' || !state.progress || state.progress.total <= 0) return '';
  const { loaded, total } = state.progress;
  return ` ${(loaded / 1e6).toFixed(1)} of ${megabytes(total)}`;
}

/** The "Try again" button of a failure line (none without a retry). */
function RetryButton({ retry, label }: { retry: (() => void) | undefined; label: string }) {
  if (!retry) return null;
  return (
    <>
      {' '}
      <button type="button" className="retry" onClick={retry}>
        {label}
      </button>
    </>
  );
}

/**
 * One line under the model picker: loading progress, failure (load or worker crash, with a button that tries
 * again), or what runs the model.
 */
export function ModelStatus({ model, state }: { model: ShippedModel | undefined; state: ModelLoadState }) {
  if (!model || state.status === 'idle') return null;
  if (state.status === 'error') {
    return (
      <p className="error" role="alert">
        Could not load the {model.title} model: {state.message}.
        <RetryButton retry={state.retry} label="Try again" />
      </p>
    );
  }
  if (state.status === 'worker-failed') {
    return (
      <p className="error" role="alert">
        The models stopped working: {state.message}.{state.retry ? '' : ' Reload the page to start them again.'}
        <RetryButton retry={state.retry} label="Restart the models" />
      </p>
    );
  }
  return (
    <p className="model-status" role="status" aria-label="Model status">
      {state.status === 'loading'
        ? `Loading the ${model.title} model (${megabytes(model.bytes)})…${progressText(state)}`
        : `${model.title} model ready · running in this browser on ${state.backend} kernels`}
    </p>
  );
}
