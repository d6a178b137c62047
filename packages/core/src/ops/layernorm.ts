import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, promote } from '../tensor/dtype.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';

/**
 * Layer normalisation as torch.nn.functional.layer_norm: each slice over the trailing dims `normalizedShape` is
 * shifted to mean 0 and scaled by 1/√(var + eps) with the biased variance, then multiplied by `weight` and
 * shifted by `bias` (both shaped `normalizedShape`, optional). One fused node; the backward is analytic.
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const norm = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  if (norm.length === 0 || norm.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(
      `layerNorm: normalizedShape must be one or more positive integers, got ${JSON.stringify(normalizedShape)}`,
    );
  }
  if (!(eps >= 0)) throw new ValueError(`layerNorm: eps must be a non-negative number, got ${eps}`);
  const trailing = x.shape.slice(x.ndim - norm.length);
  if (x.ndim < norm.length || !shapesEqual(trailing, norm)) {
    throw new ShapeError(
      `layerNorm: input's trailing dimensions must equal normalizedShape ${formatShape(norm)}, got input ` +
        `${formatShape(x.shape)}`,
    );
  }
  const w = weight ?? null;
  const b = bias ?? null;
  if (w && !shapesEqual(w.shape, norm))
    throw new ShapeError(`layerNorm: weight: expected shape ${formatShape(norm)}, got ${formatShape(w.shape)}`);
  if (b && !shapesEqual(b.shape, norm))
    throw new ShapeError(`layerNorm: bias: expected shape ${formatShape(norm)}, got ${formatShape(b.shape)}`);

  const D = sizeOf(norm);
  const rows = x.size / D;
  const dtype = promote(x.dtype, ...(w ? [w.dtype] : []), ...(b ? [b.dtype] : []));
  const xd = x.data;
  const wd = w ? w.data : null;
  const bd = b ? b.data : null;
  const out = allocate(dtype, x.size);
  // Missing affine parameters act as weight 1 and bias 0, so the inner loops need no branches.
  const scale = wd ?? new Float64Array(D).fill(1);
  const shift = bd ?? new Float64Array(D);
  // Mean and 1/σ per row, kept so the backward can recompute x̂ without storing it.
  const means = new Float64Array(rows);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * D;
    let sum = 0;
    for (let j = 0; j < D; j++) sum += xd[base + j]!;
    const mean = sum / D;
    let sq = 0;
    for (let j = 0; j < D; j++) {
      const c = xd[base + j]! - mean;
      sq += c * c;
    }
    const inv = 1 / Math.sqrt(sq / D + eps);
    means[r] = mean;
    rstd[r] = inv;
    for (let j = 0; j < D; j++) out[base + j] = (xd[base + j]! - mean) * inv * scale[j]! + shift[j]!;
  }

  const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  return attach(new Tensor(out, x.shape), 'layer_norm', inputs, (grad) => {
    const gd = grad.data;
    const needX = x.requiresGrad;
    const dx = needX ? allocate(x.dtype, x.size) : null;
    const dw = new Float64Array(D);
    const db = new Float64Array(D);
    // One row at a time: x̂ and dx̂ = g·weight in row scratch, then
    // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), dweight += g·x̂, dbias += g.
    const h = new Float64Array(D);
    const gh = new Float64Array(D);
    for (let r = 0; r < rows; r++) {
      const base = r * D;
      const mean = means[r]!;
      const inv = rstd[r]!;
      let sumG = 0;
      let sumGH = 0;
      for (let j = 0; j < D; j++) {
        const hj = (xd[base + j]! - mean) * inv;
        const gj = gd[base + j]!;
        const ghj = gj * scale[j]!;
        h[j] = hj;
        gh[j] = ghj;
        sumG += ghj;
        sumGH += ghj * hj;
        dw[j]! += gj * hj;
        db[j]! += gj;
      }
      if (dx) {
        const mG = sumG / D;
        const mGH = sumGH / D;
        for (let j = 0; j < D; j++) dx[base + j] = inv * (gh[j]! - mG - h[j]! * mGH);
      }
    }
    const grads: (Tensor | null)[] = [dx ? new Tensor(dx, x.shape) : null];
    if (w) grads.push(w.requiresGrad ? converted(dw, w) : null);
    if (b) grads.push(b.requiresGrad ? converted(db, b) : null);
    return grads;
  });
}

/** A float64 accumulator as a tensor shaped and typed like `like`. */
function converted(acc: Float64Array, like: Tensor): Tensor {
  const d = allocate(like.dtype, acc.length);
  d.set(acc);
  return new Tensor(d, like.shape);
}
