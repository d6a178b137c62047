import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { broadcastBinary, unbroadcast } from './broadcast.js';
import { asTensor, type TensorLike } from './scalar.js';
import { allocate } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';

function binaryOperands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(b, a)];
  if (b instanceof Tensor) return [asTensor(a, b), b];
  throw new ValueError('binary op: at least one operand must be a Tensor');
}

/** Elementwise product of two same-shaped flat arrays into a new tensor shaped like `like`. */
function product(x: Tensor, y: Tensor, like: Tensor): Tensor {
  const { data, shape } = broadcastBinary(x, y, (p, q) => p * q);
  return unbroadcast(new Tensor(data, shape), like.shape);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const { data, shape } = broadcastBinary(x, y, (p, q) => p + q);
  return attach(new Tensor(data, shape), 'add', [x, y], (g) => [unbroadcast(g, x.shape), unbroadcast(g, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const { data, shape } = broadcastBinary(x, y, (p, q) => p - q);
  return attach(new Tensor(data, shape), 'sub', [x, y], (g) => {
    const gy = unbroadcast(g, y.shape);
    const neg = allocate(gy.dtype, gy.size);
    for (let i = 0; i < neg.length; i++) neg[i] = -gy.data[i]!;
    return [unbroadcast(g, x.shape), new Tensor(neg, y.shape)];
  });
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const { data, shape } = broadcastBinary(x, y, (p, q) => p * q);
  return attach(new Tensor(data, shape), 'mul', [x, y], (g) => [
    x.requiresGrad ? product(g, y, x) : null,
    y.requiresGrad ? product(g, x, y) : null,
  ]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryOperands(a, b);
  const { data, shape } = broadcastBinary(x, y, (p, q) => p / q);
  const out = new Tensor(data, shape);
  return attach(out, 'div', [x, y], (g) => {
    let gx: Tensor | null = null;
    let gy: Tensor | null = null;
    if (x.requiresGrad) {
      const r = broadcastBinary(g, y, (p, q) => p / q);
      gx = unbroadcast(new Tensor(r.data, r.shape), x.shape);
    }
    if (y.requiresGrad) {
      // d(x/y)/dy = -(x/y)/y
      const q = broadcastBinary(out.detach(), y, (o, yy) => -o / yy);
      const r = broadcastBinary(g, new Tensor(q.data, q.shape), (p, s) => p * s);
      gy = unbroadcast(new Tensor(r.data, r.shape), y.shape);
    }
    return [gx, gy];
  });
}
