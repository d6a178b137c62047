import { Tensor, type TensorOptions } from './tensor.js';
import { allocate, getDefaultDType, type DType, type Storage } from './dtype.js';
import { checkShape, sizeOf, type Shape } from './shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';

export interface CreateOptions extends TensorOptions {
  dtype?: DType;
}
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

type Nested = number | readonly Nested[];

function inferShape(value: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly Nested[])[0]!;
    if (v === undefined) break;
  }
  return shape;
}

function flattenInto(value: Nested, shape: number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (typeof value !== 'number')
      throw new ShapeError('tensor(): ragged nested array (sub-arrays of different lengths)');
    out.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[dim]) {
    throw new ShapeError(
      `tensor(): ragged nested array at depth ${dim}: expected length ${shape[dim]}, got ` +
        `${Array.isArray(value) ? value.length : 'a number'}`,
    );
  }
  for (const v of value as readonly Nested[]) flattenInto(v, shape, dim + 1, out);
}

/**
 * Make a tensor from nested arrays, a flat array with a shape, or a typed array with a shape.
 * `tensor([[1, 2], [3, 4]])`, `tensor([1, 2, 3, 4], [2, 2])`, `tensor(new Float64Array(4), [4])`.
 */
export function tensor(values: Nested | ArrayLike<number>, shape?: Shape, options: CreateOptions = {}): Tensor {
  const dtype =
    options.dtype ??
    (values instanceof Float64Array ? 'float64' : values instanceof Float32Array ? 'float32' : getDefaultDType());
  let flat: ArrayLike<number>;
  let dims: number[];
  if (shape) {
    flat = typeof values === 'number' ? [values] : (values as ArrayLike<number>);
    if (Array.isArray(flat) && flat.some((v) => Array.isArray(v))) {
      const inner: number[] = [];
      flattenInto(values as Nested, inferShape(values as Nested), 0, inner);
      flat = inner;
    }
    dims = checkShape(shape);
  } else if (typeof values === 'number') {
    flat = [values];
    dims = [];
  } else if (Array.isArray(values)) {
    dims = inferShape(values as Nested);
    const out: number[] = [];
    flattenInto(values as Nested, dims, 0, out);
    flat = out;
  } else {
    flat = values as ArrayLike<number>;
    dims = [flat.length];
  }
  if (flat.length !== sizeOf(dims)) {
    throw new ShapeError(
      `tensor(): ${flat.length} values do not fill shape [${dims.join(', ')}] (${sizeOf(dims)} elements)`,
    );
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number') throw new ValueError(`tensor(): element ${i} is ${typeof v}, not a number`);
    data[i] = v;
  }
  return new Tensor(data, dims, options);
}

/** Wrap existing storage without copying. */
export function fromStorage(data: Storage, shape: Shape, options: TensorOptions = {}): Tensor {
  return new Tensor(data, shape, options);
}

export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  const data = allocate(options.dtype ?? getDefaultDType(), sizeOf(checkShape(shape)));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, options);
}

export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new ValueError('arange(): step must not be zero');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate(options.dtype ?? getDefaultDType(), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return new Tensor(data, [n], options);
}

/** Standard normal samples from the seeded generator. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator();
  const data = allocate(options.dtype ?? getDefaultDType(), sizeOf(checkShape(shape)));
  for (let i = 0; i < data.length; i++) data[i] = g.normal();
  return new Tensor(data, shape, options);
}

/** Uniform samples in [low, high) from the seeded generator. */
export function uniform(shape: Shape, low = 0, high = 1, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator();
  const data = allocate(options.dtype ?? getDefaultDType(), sizeOf(checkShape(shape)));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * g.random();
  return new Tensor(data, shape, options);
}

export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return uniform(shape, 0, 1, options);
}
