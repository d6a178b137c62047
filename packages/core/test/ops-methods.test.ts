import { describe, expect, it } from 'vitest';
import '../src/ops/methods.js';
import { tensor, randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { ShapeError } from '../src/errors.js';
import { gradcheck } from '../src/autograd/gradcheck.js';

describe('Tensor method sugar', () => {
  it('chains like PyTorch and records gradients', () => {
    const x = tensor(
      [
        [1, -2],
        [3, 4],
      ],
      undefined,
      { dtype: 'float64', requiresGrad: true },
    );
    const w = tensor([[0.5], [-1]], undefined, { dtype: 'float64', requiresGrad: true });
    const y = x.matmul(w).add(1).tanh().sum();
    expect(y.shape).toEqual([]);
    y.backward();
    expect(x.grad!.shape).toEqual([2, 2]);
    expect(w.grad!.shape).toEqual([2, 1]);
    const r = gradcheck((a, b) => a!.matmul(b!).mul(2).sub(a!.sum(1, true)).div(3).sigmoid().mean(), [x, w]);
    expect(r.ok).toBe(true);
  });

  it('forwards every op with its arguments', () => {
    const x = tensor([
      [1, -2, 3],
      [-4, 5, -6],
    ]);
    expect(x.neg().toArray()).toEqual([-1, 2, -3, 4, -5, 6]);
    expect(x.abs().toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.relu().toArray()).toEqual([1, 0, 3, 0, 5, 0]);
    expect(x.clamp(-2, 2).toArray()).toEqual([1, -2, 2, -2, 2, -2]);
    expect(x.clamp({ min: 0 }).toArray()).toEqual([1, 0, 3, 0, 5, 0]);
    expect(x.pow(2).toArray()).toEqual(x.square().toArray());
    expect(
      x
        .abs()
        .sqrt()
        .square()
        .toArray()
        .map((v) => Math.round(v)),
    ).toEqual([1, 2, 3, 4, 5, 6]);
    expect(
      x
        .exp()
        .log()
        .toArray()
        .map((v) => Math.round(v)),
    ).toEqual(x.toArray());
    expect(x.sigmoid().shape).toEqual([2, 3]);
    expect(x.gelu().data[0]).toBeCloseTo(0.8413447, 6);
    expect(x.sum().item()).toBe(-3);
    expect(x.sum(0).toArray()).toEqual([-3, 3, -3]);
    expect(x.mean(-1, true).shape).toEqual([2, 1]);
    expect(x.max().item()).toBe(5);
    expect(x.min(1).toArray()).toEqual([-2, -6]);
    expect(x.argmax(1).toArray()).toEqual([2, 1]);
    expect(
      x
        .variance(1, false, 0)
        .toArray()
        .map((v) => Math.round(v * 1e4) / 1e4),
    ).toEqual([4.2222, 22.8889]);
    expect(x.argmin().item()).toBe(5);
    expect(
      x
        .softmax()
        .sum(-1)
        .toArray()
        .map((v) => Math.round(v * 1e5) / 1e5),
    ).toEqual([1, 1]);
    expect(x.logSoftmax(0).shape).toEqual([2, 3]);
    expect(x.logsumexp(1, true).shape).toEqual([2, 1]);
    expect(x.reshape(3, 2).shape).toEqual([3, 2]);
    expect(x.reshape([-1]).shape).toEqual([6]);
    expect(x.view(1, 6).shape).toEqual([1, 6]);
    expect(x.unsqueeze(0).flatten(0, 1).shape).toEqual([2, 3]);
    expect(x.unsqueeze(1).squeeze().shape).toEqual([2, 3]);
    expect(x.transpose(0, 1).toArray()).toEqual([1, -4, -2, 5, 3, -6]);
    expect(x.permute(1, 0).toArray()).toEqual(x.T.toArray());
    expect(x.permute([1, 0]).shape).toEqual([3, 2]);
    expect(x.slice(1, 0, 3, 2).toArray()).toEqual([1, 3, -4, -6]);
    expect(x.narrow(0, 1, 1).toArray()).toEqual([-4, 5, -6]);
    expect(x.split(1, 1).length).toBe(3);
    expect(x.chunk(2).map((t) => t.shape)).toEqual([
      [1, 3],
      [1, 3],
    ]);
    expect(x.gather(1, tensor([[0], [2]])).toArray()).toEqual([1, -6]);
    expect(x.indexSelect(1, [2]).toArray()).toEqual([3, -6]);
    expect(x.maskedFill([true, false, false], 0).toArray()).toEqual([0, -2, 3, 0, 5, -6]);
    expect(tensor([1, 2]).expand(2, 2).toArray()).toEqual([1, 2, 1, 2]);
    expect(tensor([1, 2]).repeat(2).toArray()).toEqual([1, 2, 1, 2]);
    expect(tensor([1, 2]).repeat([1, 2]).shape).toEqual([1, 4]);
    expect(x.div(2).mul(2).sub(x).toArray()).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('T transposes 2-D, leaves 1-D alone, refuses higher ranks', () => {
    const v = tensor([1, 2, 3]);
    expect(v.T).toBe(v);
    expect(tensor([[1, 2]]).T.shape).toEqual([2, 1]);
    expect(() => randn([2, 2, 2], { generator: new Generator(1) }).T).toThrow(ShapeError);
  });
});
