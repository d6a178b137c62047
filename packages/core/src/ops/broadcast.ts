import { Tensor } from '../tensor/tensor.js';
import { allocate, promote, type Storage } from '../tensor/dtype.js';
import { broadcastShapes, shapesEqual, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';

/** Element offsets into a tensor of `shape` for every position of the broadcast `outShape`. */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  const index = new Int32Array(n);
  const nd = outShape.length;
  const srcStrides = stridesOf(shape);
  const strides = new Array<number>(nd).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const d = nd - shape.length + i;
    strides[d] = shape[i] === 1 ? 0 : srcStrides[i]!;
  }
  const counter = new Array<number>(nd).fill(0);
  let offset = 0;
  for (let k = 0; k < n; k++) {
    index[k] = offset;
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]!++;
      offset += strides[d]!;
      if (counter[d]! < outShape[d]!) break;
      offset -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return index;
}

/** Apply `f` elementwise with broadcasting; returns raw output storage and its shape. */
export function broadcastBinary(
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
): { data: Storage; shape: number[] } {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = allocate(promote(a.dtype, b.dtype), sizeOf(shape));
  const ad = a.data;
  const bd = b.data;
  if (shapesEqual(a.shape, b.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bd[i]!);
  } else if (b.size === 1 && shapesEqual(a.shape, shape)) {
    const y = bd[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, y);
  } else if (a.size === 1 && shapesEqual(b.shape, shape)) {
    const x = ad[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(x, bd[i]!);
  } else if (shapesEqual(a.shape, shape) && isTrailing(b.shape, shape)) {
    const m = b.size;
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bd[i % m]!);
  } else {
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    for (let i = 0; i < out.length; i++) out[i] = f(ad[ia[i]!]!, bd[ib[i]!]!);
  }
  return { data: out, shape };
}

/** True when `small` equals the last dims of `big` (after dropping leading 1s): a bias-like operand. */
function isTrailing(small: Shape, big: Shape): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const rest = small.slice(s);
  if (rest.length > big.length) return false;
  return rest.every((d, i) => d === big[big.length - rest.length + i]);
}

/** Sum a gradient of the broadcast shape back down to `shape` (the reverse of broadcasting). */
export function unbroadcast(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const out = allocate(grad.dtype, sizeOf(shape));
  const g = grad.data;
  if (isTrailing(shape, grad.shape)) {
    // row by row (the same additions in the same order as out[i % m] += g[i], without a division per element)
    const m = out.length;
    for (let base = 0; base < g.length; base += m) for (let j = 0; j < m; j++) out[j]! += g[base + j]!;
  } else {
    const idx = broadcastIndex(shape, grad.shape);
    for (let i = 0; i < g.length; i++) out[idx[i]!]! += g[i]!;
  }
  return new Tensor(out, shape);
}
