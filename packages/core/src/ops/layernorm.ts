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
    throw new ValueError(`layerNorm: normalizedShape must be one or more positive integers, got ${JSON.stringify(normalizedShape)}`);
  }
  if (!(eps >= 0)) throw new ValueError(`layerNorm: eps must be a non-negative number, got ${eps}`);
  const trailing = x.shape.slice(x.ndim - norm.length);
  if (x.ndim < norm.length || !shapesEqual(trailing, norm)) {
    throw new ShapeError(
      `layerNorm: input's trailing dimensions must equal normalizedShape ${formatShape(norm)}, got input ${formatShape(x.shape)}`,
    );
  }
  const w = weight ?? null;
  const b = bias ?? null;
  if (w && !shapesEqual(w.shape, norm)) throw new ShapeError(`layerNorm: weight: expected shape ${formatShape(norm)}, got ${formatShape(w.shape)}`);
  if (b && !shapesEqual(b.shape, norm)) throw new ShapeError(`layerNorm: bias: expected shape ${formatShape(norm)}, got ${formatShape(b.shape)}`);

  const D = sizeOf(norm);
  const rows = x.size / D;
  const dtype = promote(x.dtype, ...(w ? [w.dtype] : []), ...(b ? [b.dtype] : []));
  const xd = x.data;
  const wd = w ? w.data : null;
  const bd = b ? b.data : null;
  const out = allocate(dtype, x.size);
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
    for (let j = 0; j < D; j++) {
      const h = (xd[base + j]! - mean) * inv;
      out[base + j] = (wd ? h * wd[j]! : h) + (bd ? bd[j]! : 0);
    }
  }

  const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  return attach(new Tensor(out, x.shape), 'layer_norm', inputs, (grad) => {
    const gd = grad.data;
    const xhat = new Float64Array(x.size);
    for (let r = 0; r < rows; r++) {
      const base = r * D;
      const mean = means[r]!;
      const inv = rstd[r]!;
      for (let j = 0; j < D; j++) xhat[base + j] = (xd[base + j]! - mean) * inv;
    }
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)) with dx̂ = g · weight.
      const d = allocate(x.dtype, x.size);
      for (let r = 0; r < rows; r++) {
        const base = r * D;
        let sumG = 0;
        let sumGH = 0;
        for (let j = 0; j < D; j++) {
          const gh = wd ? gd[base + j]! * wd[j]! : gd[base + j]!;
          sumG += gh;
          sumGH += gh * xhat[base + j]!;
        }
        const mG = sumG / D;
        const mGH = sumGH / D;
        const inv = rstd[r]!;
        for (let j = 0; j < D; j++) {
          const gh = wd ? gd[base + j]! * wd[j]! : gd[base + j]!;
          d[base + j] = inv * (gh - mG - xhat[base + j]! * mGH);
        }
      }
      gx = new Tensor(d, x.shape);
    }
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (w && w.requiresGrad) {
      const acc = new Float64Array(D);
      for (let r = 0; r < rows; r++) {
        const base = r * D;
        for (let j = 0; j < D; j++) acc[j]! += gd[base + j]! * xhat[base + j]!;
      }
      const d = allocate(w.dtype, D);
      d.set(acc);
      gw = new Tensor(d, w.shape);
    }
    if (b && b.requiresGrad) {
      const acc = new Float64Array(D);
      for (let r = 0; r < rows; r++) {
        const base = r * D;
        for (let j = 0; j < D; j++) acc[j]! += gd[base + j]!;
      }
      const d = allocate(b.dtype, D);
      d.set(acc);
      gb = new Tensor(d, b.shape);
    }
    const grads: (Tensor | null)[] = [gx];
    if (w) grads.push(gw);
    if (b) grads.push(gb);
    return grads;
  });
}
