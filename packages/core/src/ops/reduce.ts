import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, type Storage } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, stridesOf, type Shape } from '../tensor/shape.js';
import { ValueError } from '../errors.js';

/** One axis, several axes, or (undefined/null) all axes. Negative axes count from the end. */
export type Axes = number | readonly number[] | null | undefined;

/**
 * How to walk a reduction. When the reduced axes are consecutive the input is viewed as
 * [outer, count, inner] and reduced with plain loops; otherwise `base` holds the input offset of every
 * output element and `offsets` the relative offset of every reduced element.
 */
export interface ReductionPlan {
  /** Shape of the result (reduced axes removed, or kept as 1 with keepdim). */
  outShape: number[];
  /** Number of input elements folded into each output element. */
  count: number;
  outSize: number;
  contiguous: boolean;
  outer: number;
  inner: number;
  base: Int32Array | null;
  offsets: Int32Array | null;
}

/** Offsets of every index combination of `dims` (row-major) under `strides`. */
function offsetTable(dims: number[], strides: number[]): Int32Array {
  let n = 1;
  for (const d of dims) n *= d;
  const table = new Int32Array(n);
  const nd = dims.length;
  const counter = new Array<number>(nd).fill(0);
  let offset = 0;
  for (let k = 0; k < n; k++) {
    table[k] = offset;
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < dims[d]!) break;
      offset -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return table;
}

/** Resolve `axis` against `shape` into a reduction plan; `what` names the op in errors. */
export function planReduction(shape: Shape, axis: Axes, keepdim: boolean, what: string): ReductionPlan {
  const nd = shape.length;
  let axes: number[];
  if (axis === undefined || axis === null) axes = shape.map((_, i) => i);
  else {
    const list = typeof axis === 'number' ? [axis] : [...axis];
    if (list.length === 0)
      throw new ValueError(`${what}: empty axis list; omit the axis to reduce over all dimensions`);
    axes = list.map((a) => normalizeAxis(a, Math.max(nd, 1), `${what}: axis`));
    if (new Set(axes).size !== axes.length)
      throw new ValueError(`${what}: axis ${axes.join(', ')} repeats a dimension`);
    axes.sort((p, q) => p - q);
    if (nd === 0) axes = [];
  }
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  const outShape: number[] = [];
  let count = 1;
  let outSize = 1;
  for (let d = 0; d < nd; d++) {
    if (reduced[d]) {
      count *= shape[d]!;
      if (keepdim) outShape.push(1);
    } else {
      outSize *= shape[d]!;
      outShape.push(shape[d]!);
    }
  }
  const contiguous = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
  if (contiguous) {
    let outer = 1;
    let inner = 1;
    if (axes.length > 0) {
      for (let d = 0; d < axes[0]!; d++) outer *= shape[d]!;
      for (let d = axes[axes.length - 1]! + 1; d < nd; d++) inner *= shape[d]!;
    } else outer = outSize;
    return { outShape, count, outSize, contiguous, outer, inner, base: null, offsets: null };
  }
  const strides = stridesOf(shape);
  const keptDims: number[] = [];
  const keptStrides: number[] = [];
  const redDims: number[] = [];
  const redStrides: number[] = [];
  for (let d = 0; d < nd; d++) {
    if (reduced[d]) {
      redDims.push(shape[d]!);
      redStrides.push(strides[d]!);
    } else {
      keptDims.push(shape[d]!);
      keptStrides.push(strides[d]!);
    }
  }
  return {
    outShape,
    count,
    outSize,
    contiguous,
    outer: 0,
    inner: 0,
    base: offsetTable(keptDims, keptStrides),
    offsets: offsetTable(redDims, redStrides),
  };
}

/** out[k] = scale · Σ over the reduced elements of output k. Accumulates in float64. */
function sumKernel(x: Storage, p: ReductionPlan, out: Storage, scale: number): void {
  const R = p.count;
  if (p.contiguous) {
    const { outer, inner } = p;
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let s = 0;
        const start = o * R;
        for (let r = 0; r < R; r++) s += x[start + r]!;
        out[o] = s * scale;
      }
      return;
    }
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      for (let r = 0; r < R; r++) {
        const row = (o * R + r) * inner;
        for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
      }
      const dst = o * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = acc[i]! * scale;
    }
    return;
  }
  const base = p.base!;
  const offs = p.offsets!;
  for (let k = 0; k < base.length; k++) {
    const b = base[k]!;
    let s = 0;
    for (let r = 0; r < R; r++) s += x[b + offs[r]!]!;
    out[k] = s * scale;
  }
}

/** gx[every element reduced into k] = scale · g[k]: the backward of sum/mean. */
function spreadKernel(g: Storage, p: ReductionPlan, gx: Storage, scale: number): void {
  const R = p.count;
  if (p.contiguous) {
    const { outer, inner } = p;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < R; r++) {
        const row = (o * R + r) * inner;
        const src = o * inner;
        for (let i = 0; i < inner; i++) gx[row + i] = g[src + i]! * scale;
      }
    }
    return;
  }
  const base = p.base!;
  const offs = p.offsets!;
  for (let k = 0; k < base.length; k++) {
    const b = base[k]!;
    const v = g[k]! * scale;
    for (let r = 0; r < R; r++) gx[b + offs[r]!] = v;
  }
}

/** Sum over `axis` (all axes by default), like torch.sum(x, dim, keepdim). */
export function sum(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const p = planReduction(x.shape, axis, keepdim, 'sum');
  const out = allocate(x.dtype, p.outSize);
  sumKernel(x.data, p, out, 1);
  return attach(new Tensor(out, p.outShape), 'sum', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    spreadKernel(g.data, p, gx, 1);
    return [new Tensor(gx, x.shape)];
  });
}

/** Mean over `axis` (all axes by default), like torch.mean(x, dim, keepdim). NaN for an empty reduction. */
export function mean(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const p = planReduction(x.shape, axis, keepdim, 'mean');
  const scale = 1 / p.count;
  const out = allocate(x.dtype, p.outSize);
  sumKernel(x.data, p, out, p.count === 0 ? Number.NaN : scale);
  return attach(new Tensor(out, p.outShape), 'mean', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    spreadKernel(g.data, p, gx, scale);
    return [new Tensor(gx, x.shape)];
  });
}

/**
 * Largest (sign = 1) or smallest (sign = −1) value of every reduction group and the flat input offset of its
 * first occurrence. NaN wins over numbers, as in PyTorch.
 */
function extremeKernel(x: Storage, p: ReductionPlan, sign: number, values: Storage, where: Int32Array): void {
  const R = p.count;
  if (p.contiguous) {
    const { outer, inner } = p;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let at = o * R * inner + i;
        let best = x[at]!;
        for (let r = 1; r < R; r++) {
          const j = (o * R + r) * inner + i;
          const v = x[j]!;
          if (!Number.isNaN(best) && (Number.isNaN(v) || sign * v > sign * best)) {
            best = v;
            at = j;
          }
        }
        values[o * inner + i] = best;
        where[o * inner + i] = at;
      }
    }
    return;
  }
  const base = p.base!;
  const offs = p.offsets!;
  for (let k = 0; k < base.length; k++) {
    const b = base[k]!;
    let at = b;
    let best = x[b]!;
    for (let r = 1; r < R; r++) {
      const j = b + offs[r]!;
      const v = x[j]!;
      if (!Number.isNaN(best) && (Number.isNaN(v) || sign * v > sign * best)) {
        best = v;
        at = j;
      }
    }
    values[k] = best;
    where[k] = at;
  }
}

/** Gradient of max/min split evenly over every element equal to the extreme (torch.amax / torch.max()). */
function evenSpread(x: Storage, p: ReductionPlan, values: Storage, g: Storage, gx: Storage): void {
  const R = p.count;
  // Pass 1 counts the ties of each output element, pass 2 hands each tie its share.
  const counts = new Float64Array(p.outSize);
  for (let pass = 0; pass < 2; pass++) {
    if (p.contiguous) {
      const { outer, inner } = p;
      for (let o = 0; o < outer; o++) {
        for (let r = 0; r < R; r++) {
          for (let i = 0; i < inner; i++) {
            const k = o * inner + i;
            const j = (o * R + r) * inner + i;
            const v = x[j]!;
            const m = values[k]!;
            if (v === m || (Number.isNaN(v) && Number.isNaN(m))) {
              if (pass === 0) counts[k]!++;
              else gx[j] = g[k]! / counts[k]!;
            }
          }
        }
      }
    } else {
      const base = p.base!;
      const offs = p.offsets!;
      for (let k = 0; k < base.length; k++) {
        const m = values[k]!;
        for (let r = 0; r < R; r++) {
          const j = base[k]! + offs[r]!;
          const v = x[j]!;
          if (v === m || (Number.isNaN(v) && Number.isNaN(m))) {
            if (pass === 0) counts[k]!++;
            else gx[j] = g[k]! / counts[k]!;
          }
        }
      }
    }
  }
}

function extreme(x: Tensor, axis: Axes, keepdim: boolean, sign: number, name: string): Tensor {
  const p = planReduction(x.shape, axis, keepdim, name);
  if (p.count === 0)
    throw new ValueError(`${name}: cannot reduce over an empty dimension (input shape ${formatShape(x.shape)})`);
  const values = allocate(x.dtype, p.outSize);
  const where = new Int32Array(p.outSize);
  extremeKernel(x.data, p, sign, values, where);
  // A single integer axis behaves like torch.max(x, dim): the gradient goes to the selected index.
  // No axis or a list of axes behaves like torch.amax / torch.max(x): ties share the gradient evenly.
  const toIndex = typeof axis === 'number';
  return attach(new Tensor(values, p.outShape), name, [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    const gd = g.data;
    if (toIndex) for (let k = 0; k < where.length; k++) gx[where[k]!]! += gd[k]!;
    else evenSpread(x.data, p, values, gd, gx);
    return [new Tensor(gx, x.shape)];
  });
}

/**
 * Maximum over `axis` (all axes by default). With one integer axis the gradient flows to the first maximal
 * element (torch.max(x, dim)); with no axis or a list of axes it is shared evenly by ties (torch.amax).
 */
export function max(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  return extreme(x, axis, keepdim, 1, 'max');
}

/** Minimum over `axis`; gradient rules as for {@link max}. */
export function min(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  return extreme(x, axis, keepdim, -1, 'min');
}

function argExtreme(x: Tensor, axis: number | null | undefined, keepdim: boolean, sign: number, name: string): Tensor {
  const flat = axis === undefined || axis === null;
  if (!flat && typeof axis !== 'number') throw new ValueError(`${name}: axis must be a single number`);
  const p = planReduction(x.shape, axis, keepdim && !flat, name);
  if (p.count === 0)
    throw new ValueError(`${name}: cannot reduce over an empty dimension (input shape ${formatShape(x.shape)})`);
  const values = allocate(x.dtype, p.outSize);
  const where = new Int32Array(p.outSize);
  extremeKernel(x.data, p, sign, values, where);
  const out = allocate(x.dtype, p.outSize);
  if (flat) out[0] = where[0]!;
  else {
    // Convert the flat offset to the coordinate along the reduced axis.
    const a = normalizeAxis(axis, Math.max(x.ndim, 1));
    const stride = stridesOf(x.shape)[a] ?? 1;
    const size = x.shape[a] ?? 1;
    for (let k = 0; k < where.length; k++) out[k] = Math.floor(where[k]! / stride) % size;
  }
  const shape = flat && keepdim ? x.shape.map(() => 1) : p.outShape;
  return new Tensor(out, shape);
}

/**
 * Index of the maximum along `axis` (first one on ties; NaN counts as largest), as a tensor of whole numbers
 * in x's dtype. Without an axis: the flat index into x, as a 0-d tensor. Records no gradient.
 */
export function argmax(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  return argExtreme(x, axis, keepdim, 1, 'argmax');
}

/** Index of the minimum along `axis`; see {@link argmax}. */
export function argmin(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  return argExtreme(x, axis, keepdim, -1, 'argmin');
}

/** out[k] = Σ (x − mean[k])² / denom over the elements reduced into k. */
function squaredDeviationKernel(x: Storage, p: ReductionPlan, means: Float64Array, out: Storage, denom: number): void {
  const R = p.count;
  if (p.contiguous) {
    const { outer, inner } = p;
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      for (let r = 0; r < R; r++) {
        const row = (o * R + r) * inner;
        for (let i = 0; i < inner; i++) {
          const d = x[row + i]! - means[o * inner + i]!;
          acc[i]! += d * d;
        }
      }
      for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i]! / denom;
    }
    return;
  }
  const base = p.base!;
  const offs = p.offsets!;
  for (let k = 0; k < base.length; k++) {
    const b = base[k]!;
    const m = means[k]!;
    let s = 0;
    for (let r = 0; r < R; r++) {
      const d = x[b + offs[r]!]! - m;
      s += d * d;
    }
    out[k] = s / denom;
  }
}

/** gx = g[k] · 2/denom · (x − mean[k]): the backward of the variance. */
function squaredDeviationBackward(
  x: Storage,
  p: ReductionPlan,
  means: Float64Array,
  g: Storage,
  gx: Storage,
  denom: number,
): void {
  const R = p.count;
  const twice = 2 / denom;
  if (p.contiguous) {
    const { outer, inner } = p;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < R; r++) {
        const row = (o * R + r) * inner;
        for (let i = 0; i < inner; i++) {
          const k = o * inner + i;
          gx[row + i] = g[k]! * twice * (x[row + i]! - means[k]!);
        }
      }
    }
    return;
  }
  const base = p.base!;
  const offs = p.offsets!;
  for (let k = 0; k < base.length; k++) {
    const b = base[k]!;
    const m = means[k]!;
    const gk = g[k]! * twice;
    for (let r = 0; r < R; r++) {
      const j = b + offs[r]!;
      gx[j] = gk * (x[j]! - m);
    }
  }
}

/**
 * Variance over `axis` (all axes by default): Σ(x − mean)² / (n − correction), like torch.var. The default
 * correction 1 is the unbiased estimate; 0 gives the population variance. n ≤ correction gives NaN or ∞.
 */
export function variance(x: Tensor, axis?: Axes, keepdim = false, correction = 1): Tensor {
  if (!Number.isFinite(correction) || correction < 0)
    throw new ValueError(`variance: correction must be a non-negative number, got ${correction}`);
  const p = planReduction(x.shape, axis, keepdim, 'variance');
  const means = new Float64Array(p.outSize);
  sumKernel(x.data, p, means, p.count === 0 ? Number.NaN : 1 / p.count);
  const denom = Math.max(p.count - correction, 0);
  const out = allocate(x.dtype, p.outSize);
  squaredDeviationKernel(x.data, p, means, out, denom);
  return attach(new Tensor(out, p.outShape), 'var', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    squaredDeviationBackward(x.data, p, means, g.data, gx, denom);
    return [new Tensor(gx, x.shape)];
  });
}
