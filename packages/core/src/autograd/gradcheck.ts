import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';
import { Generator } from '../random.js';
import { RecurrentError } from '../errors.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  maxAbsError: number;
  /** Which input and element disagreed most, for the error message. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compare autograd gradients with central finite differences (like torch.autograd.gradcheck).
 * Inputs must be float64 tensors; `fn` may return one tensor or several, which are reduced with fixed
 * random weights so every output element matters.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const t of inputs) {
    if (t.dtype !== 'float64')
      throw new RecurrentError('gradcheck needs float64 inputs for accurate finite differences');
  }
  const rng = new Generator(options.seed ?? 1234);
  let weights: Float64Array[] | null = null;
  const scalar = (): number => {
    const raw = fn(...inputs);
    const outs = Array.isArray(raw) ? raw : [raw];
    weights ??= outs.map((o) => Float64Array.from({ length: o.size }, () => rng.normal()));
    let s = 0;
    outs.forEach((o, k) => {
      const w = weights![k]!;
      for (let i = 0; i < o.size; i++) s += o.data[i]! * w[i]!;
    });
    return s;
  };

  for (const t of inputs) t.grad = null;
  const raw = fn(...inputs);
  const outs = Array.isArray(raw) ? raw : [raw];
  weights = outs.map((o) => Float64Array.from({ length: o.size }, () => rng.normal()));
  outs.forEach((o, k) => {
    if (o.requiresGrad) o.backward(new Tensor(Float64Array.from(weights![k]!), o.shape), { retainGraph: true });
  });

  let maxAbsError = 0;
  let worst: GradcheckResult['worst'] = null;
  let ok = true;
  noGrad(() => {
    inputs.forEach((t, which) => {
      if (!t.requiresGrad) return;
      const data = t.data;
      for (let i = 0; i < data.length; i++) {
        const orig = data[i]!;
        data[i] = orig + eps;
        const plus = scalar();
        data[i] = orig - eps;
        const minus = scalar();
        data[i] = orig;
        const numeric = (plus - minus) / (2 * eps);
        const analytic = t.grad ? t.grad.data[i]! : 0;
        const err = Math.abs(numeric - analytic);
        if (err > maxAbsError) {
          maxAbsError = err;
          worst = { input: which, index: i, analytic, numeric };
        }
        if (err > atol + rtol * Math.abs(numeric)) ok = false;
      }
    });
  });
  return { ok, maxAbsError, worst };
}
