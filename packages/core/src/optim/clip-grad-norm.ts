import { RecurrentError, ValueError } from '../errors.js';
import { collectParams, type ParamSource } from './params.js';

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it (PyTorch default false). */
  errorIfNonfinite?: boolean;
}

/**
 * torch.nn.utils.clip_grad_norm_: the p-norm of all gradients together (parameters without a grad are
 * skipped); when it exceeds `maxNorm` every gradient is scaled in place by maxNorm / (total + 1e-6).
 * `normType` may be any p > 0 or Infinity. Returns the total norm before clipping.
 */
export function clipGradNorm(
  parameters: ParamSource,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const what = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0)
    throw new ValueError(`${what}: maxNorm must be a number ≥ 0, got ${maxNorm}`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new ValueError(`${what}: normType must be > 0 or Infinity, got ${normType}`);
  const grads = collectParams(what, parameters)
    .map((p) => p.grad)
    .filter((g) => g !== null);
  if (grads.length === 0) return 0;
  let total: number;
  if (normType === Infinity) {
    total = 0;
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) {
        const a = Math.abs(d[i]!);
        if (a > total || Number.isNaN(a)) total = a;
      }
    }
  } else if (normType === 2) {
    let sq = 0;
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) sq += d[i]! * d[i]!;
    }
    total = Math.sqrt(sq);
  } else {
    let acc = 0;
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) acc += Math.abs(d[i]!) ** normType;
    }
    total = acc ** (1 / normType);
  }
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new RecurrentError(
      `${what}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped`,
    );
  }
  const coef = maxNorm / (total + 1e-6);
  // PyTorch multiplies by min(coef, 1) unconditionally; multiplying by 1 changes nothing, and NaN must propagate.
  if (coef < 1 || Number.isNaN(coef)) {
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
    }
  }
  return total;
}

/** torch.nn.utils.clip_grad_value_: clamp every gradient element into [−clipValue, clipValue] in place. */
export function clipGradValue(parameters: ParamSource, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new ValueError(`clipGradValue: clipValue must be a number ≥ 0, got ${clipValue}`);
  for (const p of collectParams('clipGradValue', parameters)) {
    const d = p.grad?.data;
    if (!d) continue;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v > clipValue) d[i] = clipValue;
      else if (v < -clipValue) d[i] = -clipValue;
    }
  }
}
