import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, promote } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import { checkReduction, type Reduction } from './targets.js';

export interface MseLossOptions {
  reduction?: Reduction;
}

/** Squared error (x − t)², reduced like torch.nn.functional.mse_loss. Input and target must have one shape. */
export function mseLoss(input: Tensor, target: Tensor, options: MseLossOptions = {}): Tensor {
  const what = 'mseLoss';
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${what}: target must have the input's shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}`,
    );
  }
  const reduction = checkReduction(what, options.reduction);
  const dtype = promote(input.dtype, target.dtype);
  const n = input.size;
  const x = input.data;
  const t = target.data;
  const sq = allocate(dtype, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - t[i]!;
    sq[i] = d * d;
    total += d * d;
  }
  let out: Tensor;
  if (reduction === 'none') out = new Tensor(sq, input.shape);
  else {
    const d = allocate(dtype, 1);
    d[0] = reduction === 'sum' ? total : total / n;
    out = new Tensor(d, []);
  }
  return attach(out, 'mse_loss', [input, target], (g) => {
    const gd = g.data;
    const gx = input.requiresGrad ? allocate(input.dtype, n) : null;
    const gt = target.requiresGrad ? allocate(target.dtype, n) : null;
    for (let i = 0; i < n; i++) {
      const s = reduction === 'none' ? gd[i]! : reduction === 'sum' ? gd[0]! : gd[0]! / n;
      const v = 2 * s * (x[i]! - t[i]!);
      if (gx) gx[i] = v;
      if (gt) gt[i] = -v;
    }
    return [gx && new Tensor(gx, input.shape), gt && new Tensor(gt, target.shape)];
  });
}
