import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';

export type TensorLike = Tensor | number;

/** Lift a number to a 0-d tensor of `like`'s dtype so binary ops can take scalars. */
export function asTensor(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  const data = allocate(like.dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}
