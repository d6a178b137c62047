import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';

/** Integer indices: a plain array, an Int32Array, or a tensor holding whole numbers. */
export type Indices = ArrayLike<number> | Tensor;

export function indicesOf(indices: Indices): { values: ArrayLike<number>; shape: number[] } {
  if (indices instanceof Tensor) return { values: indices.data, shape: [...indices.shape] };
  return { values: indices, shape: [indices.length] };
}

/** How an embedding output was made: the ids (in the output's row order), the table, and its padding index. */
export interface EmbeddingSource {
  readonly ids: Int32Array;
  readonly weight: Tensor;
  readonly paddingIdx: number | null;
}

const sources = new WeakMap<Tensor, EmbeddingSource>();

/**
 * The lookup that produced `t`, when `t` is the output of `embedding` itself, `wanted` accepts it, and its rows still
 * equal the table's rows (neither was edited in place since; checked last, as it reads every element); else null. A
 * recurrent layer fed straight from an embedding uses this to project the table once instead of every token
 * (kernels/recurrent/tokens.ts).
 */
export function embeddingSourceOf(
  t: Tensor,
  wanted: (src: EmbeddingSource) => boolean = () => true,
): EmbeddingSource | null {
  const src = sources.get(t);
  if (!src || !wanted(src)) return null;
  const dim = src.weight.shape[1]!;
  const w = src.weight.data;
  const x = t.data;
  const { ids } = src;
  for (let i = 0; i < ids.length; i++) {
    const o = ids[i]! * dim;
    const r = i * dim;
    for (let j = 0; j < dim; j++) if (x[r + j] !== w[o + j]) return null;
  }
  return src;
}

/**
 * Rows of `weight` [num, dim] picked by `indices` (any shape) → [...indices.shape, dim].
 * The row at `paddingIdx` gets no gradient, as in PyTorch.
 */
export function embedding(
  indices: Indices,
  weight: Tensor,
  paddingIdx: number | null = null,
  shape?: readonly number[],
): Tensor {
  if (weight.ndim !== 2)
    throw new ShapeError(`embedding: weight must be 2-D [num_embeddings, dim], got ${formatShape(weight.shape)}`);
  const { values, shape: idxShape } = indicesOf(indices);
  const outIdxShape = shape ? [...shape] : idxShape;
  const [num, dim] = weight.shape as [number, number];
  const n = values.length;
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = values[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= num) {
      throw new ValueError(`embedding: index ${id} at position ${i} is out of range for ${num} embeddings`);
    }
    ids[i] = id;
  }
  const out = allocate(weight.dtype, n * dim);
  const w = weight.data;
  for (let i = 0; i < n; i++) out.set(w.subarray(ids[i]! * dim, (ids[i]! + 1) * dim), i * dim);
  const result = new Tensor(out, [...outIdxShape, dim]);
  sources.set(result, { ids, weight, paddingIdx });
  return attach(result, 'embedding', [weight], (g) => {
    const gw = allocate(weight.dtype, num * dim);
    const gd = g.data;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id === paddingIdx) continue;
      const base = id * dim;
      const src = i * dim;
      for (let j = 0; j < dim; j++) gw[base + j]! += gd[src + j]!;
    }
    return [new Tensor(gw, weight.shape)];
  });
}
