import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, getDefaultDType, promote, type DType } from '../tensor/dtype.js';
import {
  broadcastShapes,
  formatShape,
  normalizeAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
  type Shape,
} from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { broadcastIndex, unbroadcast } from './broadcast.js';
import { indicesOf, type Indices } from './embedding.js';
import { asTensor, type TensorLike } from './scalar.js';

/** A mask: a tensor whose non-zero elements are true, or a flat array of booleans. */
export type Mask = Tensor | ArrayLike<boolean>;

/** Check that every index is an integer in [0, n); returns them as Int32Array. */
function checkedIndices(values: ArrayLike<number>, n: number, what: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= n)
      throw new ValueError(`${what}: index ${v} at position ${i} is out of range for a dimension of size ${n}`);
    out[i] = v;
  }
  return out;
}

/**
 * out[i][j][k] = x[i][index[i][j][k]][k] for axis 1 (and likewise for any axis), like torch.gather.
 * `index` has as many dimensions as x and is no larger than x outside `axis`; the result has index's shape.
 */
export function gather(x: Tensor, axis: number, index: Indices): Tensor {
  const { values, shape } = indicesOf(index);
  const nd = x.ndim;
  if (nd === 0) throw new ShapeError('gather: expected an input with at least 1 dimension, got shape []');
  const a = normalizeAxis(axis, nd, 'gather: axis');
  if (shape.length !== nd || shape.some((d, i) => i !== a && d > x.shape[i]!)) {
    throw new ShapeError(
      `gather: expected index with ${nd} dimension(s), each no larger than input ${formatShape(x.shape)} except ` +
        `along axis ${axis}, got index ${formatShape(shape)}`,
    );
  }
  const n = x.shape[a]!;
  const ids = checkedIndices(values, n, 'gather');
  const strides = stridesOf(x.shape);
  const strideA = strides[a]!;
  // Odometer over index positions, tracking the input offset of every coordinate except the gathered one.
  const offsets = new Int32Array(ids.length);
  const dims = shape.length;
  const counter = new Array<number>(dims).fill(0);
  let base = 0;
  for (let k = 0; k < ids.length; k++) {
    offsets[k] = base + ids[k]! * strideA;
    for (let d = dims - 1; d >= 0; d--) {
      counter[d]!++;
      const s = d === a ? 0 : strides[d]!;
      base += s;
      if (counter[d]! < shape[d]!) break;
      base -= s * counter[d]!;
      counter[d] = 0;
    }
  }
  const out = allocate(x.dtype, ids.length);
  const xd = x.data;
  for (let k = 0; k < out.length; k++) out[k] = xd[offsets[k]!]!;
  return attach(new Tensor(out, shape), 'gather', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let k = 0; k < offsets.length; k++) gx[offsets[k]!]! += gd[k]!;
    return [new Tensor(gx, x.shape)];
  });
}

/** Entries of `axis` picked by a 1-D list of indices (repeats allowed), like torch.index_select. */
export function indexSelect(x: Tensor, axis: number, indices: Indices): Tensor {
  if (x.ndim === 0) throw new ShapeError('indexSelect: expected a tensor with at least 1 dimension, got shape []');
  const { values, shape: idxShape } = indicesOf(indices);
  if (idxShape.length > 1)
    throw new ShapeError(`indexSelect: expected 1-D indices, got shape ${formatShape(idxShape)}`);
  const a = normalizeAxis(axis, x.ndim, 'indexSelect: axis');
  const n = x.shape[a]!;
  const ids = checkedIndices(values, n, 'indexSelect');
  const m = ids.length;
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const shape = [...x.shape];
  shape[a] = m;
  const out = allocate(x.dtype, outer * m * inner);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < m; r++) {
      const from = (o * n + ids[r]!) * inner;
      out.set(xd.subarray(from, from + inner), (o * m + r) * inner);
    }
  }
  return attach(new Tensor(out, shape), 'index_select', [x], (g) => {
    const gx = allocate(x.dtype, x.size);
    const gd = g.data;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < m; r++) {
        const to = (o * n + ids[r]!) * inner;
        const from = (o * m + r) * inner;
        for (let i = 0; i < inner; i++) gx[to + i]! += gd[from + i]!;
      }
    }
    return [new Tensor(gx, x.shape)];
  });
}

/**
 * The mask as one flag per element of `shape`. A tensor mask broadcasts to `shape`; a boolean array must have
 * shape's full size (flat, row-major) or the length of its last dimension (broadcast over the rest).
 */
function maskFlags(mask: Mask, shape: Shape, what: string): Uint8Array {
  const size = sizeOf(shape);
  const flags = new Uint8Array(size);
  if (mask instanceof Tensor) {
    let target: number[];
    try {
      target = broadcastShapes(mask.shape, shape);
    } catch {
      target = [];
    }
    if (!shapesEqual(target, shape)) {
      throw new ShapeError(
        `${what}: mask of shape ${formatShape(mask.shape)} cannot be broadcast to the input shape ` +
          `${formatShape(shape)}`,
      );
    }
    const md = mask.data;
    if (mask.size === size) for (let i = 0; i < size; i++) flags[i] = md[i] !== 0 ? 1 : 0;
    else {
      const idx = broadcastIndex(mask.shape, shape);
      for (let i = 0; i < size; i++) flags[i] = md[idx[i]!] !== 0 ? 1 : 0;
    }
    return flags;
  }
  const last = shape.length > 0 ? shape[shape.length - 1]! : 1;
  if (mask.length === size) for (let i = 0; i < size; i++) flags[i] = mask[i] ? 1 : 0;
  else if (mask.length === last) for (let i = 0; i < size; i++) flags[i] = mask[i % last] ? 1 : 0;
  else {
    throw new ShapeError(
      `${what}: a boolean mask must have ${size} elements (input ${formatShape(shape)}) or ${last} (its last ` +
        `dimension), got ${mask.length}`,
    );
  }
  return flags;
}

/** Copy of x with `value` wherever the mask is true (e.g. −Infinity to mask attention scores). No gradient there. */
export function maskedFill(x: Tensor, mask: Mask, value: number): Tensor {
  if (typeof value !== 'number') throw new ValueError(`maskedFill: value must be a number, got ${typeof value}`);
  const flags = maskFlags(mask, x.shape, 'maskedFill');
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = flags[i] ? value : xd[i]!;
  return attach(new Tensor(out, x.shape), 'masked_fill', [x], (g) => {
    const gd = g.data;
    const gx = allocate(x.dtype, x.size);
    for (let i = 0; i < gx.length; i++) gx[i] = flags[i] ? 0 : gd[i]!;
    return [new Tensor(gx, x.shape)];
  });
}

/**
 * Elementwise choice: a where the condition is true (non-zero), b elsewhere, broadcasting all three
 * (a boolean array condition is treated as 1-D). Either branch may be a number.
 */
export function where(condition: Mask, a: TensorLike, b: TensorLike): Tensor {
  const cond =
    condition instanceof Tensor
      ? condition
      : new Tensor(
          Float32Array.from(condition, (v) => (v ? 1 : 0)),
          [condition.length],
        );
  let ta: Tensor;
  let tb: Tensor;
  if (a instanceof Tensor) {
    ta = a;
    tb = asTensor(b, a);
  } else if (b instanceof Tensor) {
    tb = b;
    ta = asTensor(a, b);
  } else {
    const dtype: DType = condition instanceof Tensor ? condition.dtype : getDefaultDType();
    ta = scalarOf(a, dtype);
    tb = scalarOf(b, dtype);
  }
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape), tb.shape);
  const flags = maskFlags(cond, shape, 'where');
  const size = flags.length;
  const ia = shapesEqual(ta.shape, shape) ? null : broadcastIndex(ta.shape, shape);
  const ib = shapesEqual(tb.shape, shape) ? null : broadcastIndex(tb.shape, shape);
  const ad = ta.data;
  const bd = tb.data;
  const out = allocate(promote(ta.dtype, tb.dtype), size);
  for (let i = 0; i < size; i++) out[i] = flags[i] ? ad[ia ? ia[i]! : i]! : bd[ib ? ib[i]! : i]!;
  return attach(new Tensor(out, shape), 'where', [ta, tb], (g) => {
    const gd = g.data;
    const pick = (take: number, like: Tensor): Tensor | null => {
      if (!like.requiresGrad) return null;
      const full = allocate(g.dtype, size);
      for (let i = 0; i < size; i++) full[i] = flags[i] === take ? gd[i]! : 0;
      const gt = unbroadcast(new Tensor(full, shape), like.shape);
      if (gt.dtype === like.dtype) return gt;
      const cast = allocate(like.dtype, gt.size);
      cast.set(gt.data);
      return new Tensor(cast, like.shape);
    };
    return [pick(1, ta), pick(0, tb)];
  });
}

function scalarOf(v: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = v;
  return new Tensor(data, []);
}

export interface OneHotOptions {
  /** Element type of the result; default: the indices' dtype if they are a tensor, else the default dtype. */
  dtype?: DType;
}

/**
 * One-hot encoding: [...indices.shape, numClasses] with a 1 at each index, like torch.nn.functional.one_hot.
 * Without `numClasses` it is max(index) + 1. Records no gradient.
 */
export function oneHot(indices: Indices, numClasses?: number, options: OneHotOptions = {}): Tensor {
  const { values, shape } = indicesOf(indices);
  let classes = numClasses;
  if (classes === undefined || classes === -1) {
    classes = 0;
    for (let i = 0; i < values.length; i++) classes = Math.max(classes, values[i]! + 1);
  }
  if (!Number.isInteger(classes) || classes < 0)
    throw new ValueError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  const ids = checkedIndices(values, classes, 'oneHot');
  const dtype = options.dtype ?? (indices instanceof Tensor ? indices.dtype : getDefaultDType());
  const out = allocate(dtype, ids.length * classes);
  for (let i = 0; i < ids.length; i++) out[i * classes + ids[i]!] = 1;
  return new Tensor(out, [...shape, classes]);
}
