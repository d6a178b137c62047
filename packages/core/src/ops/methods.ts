// Method sugar: `x.matmul(w).add(b).tanh()` for the functions in ops/. Imported once for its side effect by
// the package index; the declarations below merge into the Tensor class's type.
import { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../tensor/shape.js';
import type { TensorLike } from './scalar.js';
import type { Indices } from './embedding.js';
import { add, div, mul, sub } from './arithmetic.js';
import { matmul } from './matmul.js';
import { abs, clamp, exp, gelu, log, neg, pow, relu, sigmoid, sqrt, square, tanh, type ClampOptions } from './unary.js';
import { argmax, argmin, max, mean, min, sum, variance, type Axes } from './reduce.js';
import { logSoftmax, logsumexp, softmax } from './softmax.js';
import {
  chunk,
  expand,
  flatten,
  narrow,
  permute,
  repeat,
  reshape,
  slice,
  split,
  squeeze,
  transpose,
  unsqueeze,
  view,
} from './shape.js';
import { gather, indexSelect, maskedFill, type Mask } from './indexing.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    gelu(): Tensor;
    pow(exponent: number): Tensor;
    square(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    clamp(options: ClampOptions): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    sum(axis?: Axes, keepdim?: boolean): Tensor;
    mean(axis?: Axes, keepdim?: boolean): Tensor;
    max(axis?: Axes, keepdim?: boolean): Tensor;
    min(axis?: Axes, keepdim?: boolean): Tensor;
    variance(axis?: Axes, keepdim?: boolean, correction?: number): Tensor;
    argmax(axis?: number | null, keepdim?: boolean): Tensor;
    argmin(axis?: number | null, keepdim?: boolean): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    logsumexp(axis?: number, keepdim?: boolean): Tensor;
    reshape(...shape: number[] | [Shape]): Tensor;
    view(...shape: number[] | [Shape]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    unsqueeze(axis: number): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(...dims: number[] | [readonly number[]]): Tensor;
    slice(axis: number, start?: number | null, end?: number | null, step?: number): Tensor;
    narrow(axis: number, start: number, length: number): Tensor;
    split(sizeOrSizes: number | readonly number[], axis?: number): Tensor[];
    chunk(chunks: number, axis?: number): Tensor[];
    gather(axis: number, index: Indices): Tensor;
    indexSelect(axis: number, indices: Indices): Tensor;
    maskedFill(mask: Mask, value: number): Tensor;
    expand(...shape: number[] | [Shape]): Tensor;
    repeat(...repeats: number[] | [readonly number[]]): Tensor;
    /** Transpose of a 1-D or 2-D tensor (a 1-D or 0-d tensor is returned as is). */
    readonly T: Tensor;
  }
}

/** Accept both `x.reshape(2, 3)` and `x.reshape([2, 3])`, as PyTorch does. */
function dimsArg(args: (number | Shape)[]): Shape {
  return args.length === 1 && typeof args[0] !== 'number' ? args[0]! : (args as number[]);
}

const P = Tensor.prototype;
P.add = function (other) {
  return add(this, other);
};
P.sub = function (other) {
  return sub(this, other);
};
P.mul = function (other) {
  return mul(this, other);
};
P.div = function (other) {
  return div(this, other);
};
P.matmul = function (other) {
  return matmul(this, other);
};
P.neg = function () {
  return neg(this);
};
P.exp = function () {
  return exp(this);
};
P.log = function () {
  return log(this);
};
P.tanh = function () {
  return tanh(this);
};
P.sigmoid = function () {
  return sigmoid(this);
};
P.relu = function () {
  return relu(this);
};
P.gelu = function () {
  return gelu(this);
};
P.pow = function (exponent) {
  return pow(this, exponent);
};
P.square = function () {
  return square(this);
};
P.sqrt = function () {
  return sqrt(this);
};
P.abs = function () {
  return abs(this);
};
P.clamp = function (this: Tensor, a?: ClampOptions | number | null, b?: number | null): Tensor {
  return typeof a === 'object' && a !== null ? clamp(this, a) : clamp(this, a, b);
} as Tensor['clamp'];
P.sum = function (axis, keepdim) {
  return sum(this, axis, keepdim);
};
P.mean = function (axis, keepdim) {
  return mean(this, axis, keepdim);
};
P.max = function (axis, keepdim) {
  return max(this, axis, keepdim);
};
P.min = function (axis, keepdim) {
  return min(this, axis, keepdim);
};
P.variance = function (axis, keepdim, correction) {
  return variance(this, axis, keepdim, correction);
};
P.argmax = function (axis, keepdim) {
  return argmax(this, axis, keepdim);
};
P.argmin = function (axis, keepdim) {
  return argmin(this, axis, keepdim);
};
P.softmax = function (axis) {
  return softmax(this, axis);
};
P.logSoftmax = function (axis) {
  return logSoftmax(this, axis);
};
P.logsumexp = function (axis, keepdim) {
  return logsumexp(this, axis, keepdim);
};
P.reshape = function (...shape) {
  return reshape(this, dimsArg(shape));
};
P.view = function (...shape) {
  return view(this, dimsArg(shape));
};
P.flatten = function (startDim, endDim) {
  return flatten(this, startDim, endDim);
};
P.squeeze = function (axis) {
  return squeeze(this, axis);
};
P.unsqueeze = function (axis) {
  return unsqueeze(this, axis);
};
P.transpose = function (dim0, dim1) {
  return transpose(this, dim0, dim1);
};
P.permute = function (...dims) {
  return permute(this, dimsArg(dims));
};
P.slice = function (axis, start, end, step) {
  return slice(this, axis, start, end, step);
};
P.narrow = function (axis, start, length) {
  return narrow(this, axis, start, length);
};
P.split = function (sizeOrSizes, axis) {
  return split(this, sizeOrSizes, axis);
};
P.chunk = function (chunks, axis) {
  return chunk(this, chunks, axis);
};
P.gather = function (axis, index) {
  return gather(this, axis, index);
};
P.indexSelect = function (axis, indices) {
  return indexSelect(this, axis, indices);
};
P.maskedFill = function (mask, value) {
  return maskedFill(this, mask, value);
};
P.expand = function (...shape) {
  return expand(this, dimsArg(shape));
};
P.repeat = function (...repeats) {
  return repeat(this, dimsArg(repeats));
};
Object.defineProperty(P, 'T', {
  configurable: true,
  get(this: Tensor): Tensor {
    if (this.ndim > 2)
      throw new ShapeError(
        `T is defined for tensors with at most 2 dimensions, got ${formatShape(this.shape)}; use transpose(dim0, ` +
          `dim1) or permute`,
      );
    return this.ndim === 2 ? transpose(this, 0, 1) : this;
  },
});
