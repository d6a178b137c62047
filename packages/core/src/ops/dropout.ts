import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ValueError } from '../errors.js';

/** Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p). Identity when not training. */
export function dropout(x: Tensor, p: number, training = true, generator: Generator = defaultGenerator()): Tensor {
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const mask = allocate(x.dtype, x.size);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : scale;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * mask[i]!;
  return attach(new Tensor(out, x.shape), 'dropout', [x], (g) => {
    const gx = allocate(g.dtype, g.size);
    for (let i = 0; i < gx.length; i++) gx[i] = g.data[i]! * mask[i]!;
    return [new Tensor(gx, x.shape)];
  });
}
