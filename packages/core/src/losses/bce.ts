import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, promote } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import { checkReduction, trailingBroadcast, type Reduction } from './targets.js';

export interface BceWithLogitsOptions {
  reduction?: Reduction;
  /** Weight of positive examples, broadcast over the trailing dimensions of the input (usually [C]). */
  posWeight?: Tensor | null;
  /** Per-element rescaling weight, broadcast over the trailing dimensions of the input. */
  weight?: Tensor | null;
}

/** log σ(x) = min(x, 0) − log1p(exp(−|x|)), exact for large |x|. */
function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

/** σ(x) without overflow for large negative x. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Binary cross-entropy on logits, torch.nn.functional.binary_cross_entropy_with_logits:
 * ℓ = (1 − t)·x − (1 + (posWeight − 1)·t)·log σ(x), stable for any |x| (no exp overflow at ±1000).
 * `targets` must have the input's shape; it receives a gradient too when it requires one.
 */
export function bceWithLogits(logits: Tensor, targets: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const what = 'bceWithLogits';
  if (!shapesEqual(logits.shape, targets.shape)) {
    throw new ShapeError(
      `${what}: targets must have the input's shape ${formatShape(logits.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  const reduction = checkReduction(what, options.reduction);
  const posWeight = trailingBroadcast(what, 'posWeight', options.posWeight, logits.shape);
  const weight = trailingBroadcast(what, 'weight', options.weight, logits.shape);
  const dtype = promote(logits.dtype, targets.dtype);
  const n = logits.size;
  const x = logits.data;
  const t = targets.data;
  const losses = allocate(dtype, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lw = posWeight ? 1 + (posWeight(i) - 1) * t[i]! : 1;
    let l = (1 - t[i]!) * x[i]! - lw * logSigmoid(x[i]!);
    if (weight) l *= weight(i);
    losses[i] = l;
    total += l;
  }
  let out: Tensor;
  if (reduction === 'none') out = new Tensor(losses, logits.shape);
  else {
    const d = allocate(dtype, 1);
    d[0] = reduction === 'sum' ? total : total / n;
    out = new Tensor(d, []);
  }
  return attach(out, 'binary_cross_entropy_with_logits', [logits, targets], (g) => {
    const gd = g.data;
    const gx = logits.requiresGrad ? allocate(logits.dtype, n) : null;
    const gt = targets.requiresGrad ? allocate(targets.dtype, n) : null;
    for (let i = 0; i < n; i++) {
      let s = reduction === 'none' ? gd[i]! : reduction === 'sum' ? gd[0]! : gd[0]! / n;
      if (weight) s *= weight(i);
      const pw = posWeight ? posWeight(i) : 1;
      const lw = 1 + (pw - 1) * t[i]!;
      // dℓ/dx = (1 − t) − lw·σ(−x);  dℓ/dt = −x − (pw − 1)·log σ(x)
      if (gx) gx[i] = s * (1 - t[i]! - lw * sigmoid(-x[i]!));
      if (gt) gt[i] = s * (-x[i]! - (pw - 1) * logSigmoid(x[i]!));
    }
    return [gx && new Tensor(gx, logits.shape), gt && new Tensor(gt, targets.shape)];
  });
}
