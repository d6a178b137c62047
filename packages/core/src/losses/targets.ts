import { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';

/** How a loss reduces its per-element values, as PyTorch's `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';

type NestedNumbers = number | readonly NestedNumbers[];

/**
 * Class-index targets: a tensor holding whole numbers (shaped like the logits without their class
 * dimension), an Int32Array or plain array (flat, one per row), or nested arrays following that shape.
 */
export type ClassTargets = Tensor | Int32Array | ArrayLike<number> | readonly NestedNumbers[];

export function checkReduction(what: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new ValueError(`${what}: reduction must be 'mean', 'sum' or 'none', got '${String(r)}'`);
  }
  return r;
}

function flattenNested(value: readonly NestedNumbers[], what: string): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  let v: NestedNumbers = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = (v as readonly NestedNumbers[])[0]!;
  }
  const values: number[] = [];
  const walk = (x: NestedNumbers, dim: number): void => {
    if (dim === shape.length) {
      if (typeof x !== 'number') throw new ValueError(`${what}: targets nest deeper than their first element suggests`);
      values.push(x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim])
      throw new ShapeError(`${what}: targets are a ragged nested array at depth ${dim}`);
    for (const y of x as readonly NestedNumbers[]) walk(y, dim + 1);
  };
  walk(value, 0);
  return { values, shape };
}

/**
 * Validate class targets against the logits' leading shape and class count; returns the ids as an
 * Int32Array where ignored positions keep `ignoreIndex`.
 */
export function classTargets(
  what: string,
  targets: ClassTargets,
  leadShape: readonly number[],
  numClasses: number,
  ignoreIndex: number,
): Int32Array {
  const rows = sizeOf(leadShape);
  let values: ArrayLike<number>;
  if (targets instanceof Tensor) {
    if (
      !shapesEqual(targets.shape, leadShape) &&
      !(targets.ndim === 1 && targets.size === rows && leadShape.length !== 1)
    ) {
      throw new ShapeError(
        `${what}: targets must have shape ${formatShape(leadShape)} (the input without its class dimension), got ` +
          `${formatShape(targets.shape)}`,
      );
    }
    values = targets.data;
  } else if (Array.isArray(targets) && targets.some((t) => Array.isArray(t))) {
    const flat = flattenNested(targets as readonly NestedNumbers[], what);
    if (!shapesEqual(flat.shape, leadShape)) {
      throw new ShapeError(
        `${what}: targets must have shape ${formatShape(leadShape)} (the input without its class dimension), got ` +
          `${formatShape(flat.shape)}`,
      );
    }
    values = flat.values;
  } else {
    values = targets as ArrayLike<number>;
    if (values.length !== rows) {
      throw new ShapeError(
        `${what}: expected ${rows} targets for input rows of shape ${formatShape(leadShape)}, got ${values.length}`,
      );
    }
  }
  const ids = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = values[i]!;
    if (y === ignoreIndex) {
      ids[i] = y;
      continue;
    }
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new ValueError(
        `${what}: target ${String(y)} at position ${i} is out of range for ${numClasses} classes (expected ` +
          `0..${numClasses - 1} or ignoreIndex ${ignoreIndex})`,
      );
    }
    ids[i] = y;
  }
  return ids;
}

/** A per-class weight vector [C] as float64 values, or null when none was given. */
export function classWeights(
  what: string,
  weight: Tensor | ArrayLike<number> | undefined | null,
  numClasses: number,
): Float64Array | null {
  if (weight === undefined || weight === null) return null;
  const values = weight instanceof Tensor ? weight.data : weight;
  if (weight instanceof Tensor && weight.ndim !== 1) {
    throw new ShapeError(`${what}: weight must be 1-D [${numClasses}], got ${formatShape(weight.shape)}`);
  }
  if (values.length !== numClasses)
    throw new ShapeError(
      `${what}: weight must have one entry per class: expected [${numClasses}], got [${values.length}]`,
    );
  const out = Float64Array.from(values);
  for (let c = 0; c < numClasses; c++) {
    if (!Number.isFinite(out[c]!)) throw new ValueError(`${what}: weight[${c}] is ${out[c]}, not a finite number`);
  }
  return out;
}

/** Split logits [..., C] into (rows, C, leading shape); C must be at least 1. */
export function rowsOf(what: string, input: Tensor): { rows: number; classes: number; leadShape: number[] } {
  if (input.ndim < 1) throw new ShapeError(`${what}: input must have a class dimension [..., C], got a 0-d tensor`);
  const classes = input.shape[input.ndim - 1]!;
  if (classes < 1) throw new ShapeError(`${what}: input has no classes (shape ${formatShape(input.shape)})`);
  const leadShape = input.shape.slice(0, -1);
  return { rows: sizeOf(leadShape), classes, leadShape };
}

/**
 * A tensor broadcast over `shape` by repetition of its trailing dimensions (posWeight [C] over [..., C]);
 * returns a lookup from a flat index of `shape` to the value.
 */
export function trailingBroadcast(
  what: string,
  name: string,
  t: Tensor | undefined | null,
  shape: readonly number[],
): ((i: number) => number) | null {
  if (!t) return null;
  let dims = [...t.shape];
  while (dims.length > 0 && dims[0] === 1) dims = dims.slice(1);
  const tail = shape.slice(shape.length - dims.length);
  if (dims.length > shape.length || !shapesEqual(dims, tail)) {
    throw new ShapeError(
      `${what}: ${name} of shape ${formatShape(t.shape)} must match the trailing dimensions of the input ` +
        `${formatShape(shape)}`,
    );
  }
  const data = t.data;
  const n = data.length;
  return n === 1 ? () => data[0]! : (i) => data[i % n]!;
}
