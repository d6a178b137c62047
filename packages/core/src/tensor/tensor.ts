import { allocate, dtypeOf, type DType, type Storage } from './dtype.js';
import { checkShape, formatShape, sizeOf, type Shape } from './shape.js';
import type { Node } from '../autograd/node.js';
import { runBackward, type BackwardOptions } from '../autograd/engine.js';
import { RecurrentError, ShapeError, ValueError } from '../errors.js';

export interface TensorOptions {
  requiresGrad?: boolean;
}

/**
 * A dense, contiguous, row-major n-dimensional array of float32 or float64 with reverse-mode autograd.
 * Math lives in `ops/` as functions and is also available as methods (see ops/methods.ts).
 */
export class Tensor {
  readonly data: Storage;
  readonly shape: readonly number[];
  requiresGrad: boolean;
  grad: Tensor | null = null;
  /** The operation that produced this tensor; null for leaves. */
  gradFn: Node | null = null;
  /** Which output of `gradFn` this tensor is. */
  outputIndex = 0;

  constructor(data: Storage, shape: Shape, options: TensorOptions = {}) {
    const dims = checkShape(shape);
    if (sizeOf(dims) !== data.length) {
      throw new ShapeError(
        `tensor data has ${data.length} elements but shape ${formatShape(dims)} needs ${sizeOf(dims)}`,
      );
    }
    this.data = data;
    this.shape = dims;
    this.requiresGrad = options.requiresGrad ?? false;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ValueError(`item() needs a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }

  /** Flat copy of the values as a plain array. */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** Nested arrays following the shape (a number for a 0-d tensor). */
  tolist(): unknown {
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** A tensor of the same dtype over other storage, outside the graph. */
  withData(data: Storage, shape: Shape = this.shape): Tensor {
    return new Tensor(data, shape);
  }

  zerosOfShape(shape: Shape, dtype: DType = this.dtype): Tensor {
    return new Tensor(allocate(dtype, sizeOf(shape)), shape);
  }

  /** The same values, cut from the graph (shares storage, like torch's detach). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** Set requiresGrad in place; only for leaves. */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) throw new RecurrentError('requiresGrad_(false) on a non-leaf tensor; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** Keep `.grad` on this non-leaf tensor during backward (torch's retain_grad). */
  retainGrad(): this {
    if (!this.gradFn) return this;
    const node = this.gradFn;
    node.retained ??= [];
    node.retained.push(this);
    return this;
  }

  accumulateGrad(g: Tensor): void {
    if (this.grad === null) {
      const copy = allocate(this.dtype, this.size);
      copy.set(g.data);
      this.grad = new Tensor(copy, this.shape);
    } else {
      const acc = this.grad.data;
      const src = g.data;
      for (let i = 0; i < acc.length; i++) acc[i]! += src[i]!;
    }
  }

  /**
   * Back-propagate from this tensor. A scalar needs no `grad`; any other shape needs one of its own shape.
   * The graph is freed afterwards unless `{retainGraph: true}`.
   */
  backward(grad?: Tensor, options: BackwardOptions = {}): void {
    let seed = grad;
    if (!seed) {
      if (this.size !== 1) {
        throw new RecurrentError(
          `backward() without a gradient needs a scalar, got shape ${formatShape(this.shape)}; pass a gradient of ` +
            `that shape`,
        );
      }
      const one = allocate(this.dtype, 1);
      one[0] = 1;
      seed = new Tensor(one, this.shape);
    }
    runBackward(this, seed, options);
  }

  toString(): string {
    const preview = Array.from(this.data.subarray(0, 8), (v) => Number(v.toPrecision(5))).join(', ');
    const more = this.size > 8 ? ', …' : '';
    return (
      `Tensor(shape=${formatShape(this.shape)}, ` +
      `dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}, [${preview}${more}])`
    );
  }
}
