import type { Tensor } from '../tensor/tensor.js';
import { defaultGenerator, type Generator } from '../random.js';
import { ValueError } from '../errors.js';

// In-place initialisers (torch.nn.init). Each returns its tensor.

export function uniform_(t: Tensor, low: number, high: number, generator: Generator = defaultGenerator()): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = low + (high - low) * generator.random();
  return t;
}

export function normal_(t: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator()): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * generator.normal();
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Identity matrix (or stacked identities for a [k*n, n] weight): the IRNN initialisation of recurrent weights. */
export function eye_(t: Tensor, scale = 1): Tensor {
  if (t.ndim !== 2) throw new ValueError(`eye_ needs a 2-D tensor, got ${t.ndim}-D`);
  const [rows, cols] = t.shape as [number, number];
  t.data.fill(0);
  for (let r = 0; r < rows; r++) t.data[r * cols + (r % cols)] = scale;
  return t;
}

export function fanInOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new ValueError('fan in/out needs at least 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = fanInOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, generator);
}

/** PyTorch's default for Linear/Conv weights: kaiming_uniform_(a=√5), i.e. U(−1/√fan_in, 1/√fan_in). */
export function kaimingUniformDefault_(t: Tensor, generator?: Generator): Tensor {
  const [fanIn] = fanInOut(t);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform_(t, -bound, bound, generator);
}
