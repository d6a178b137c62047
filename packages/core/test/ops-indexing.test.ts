import { describe, expect, it } from 'vitest';
import { randn, tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { gather, indexSelect, maskedFill, oneHot, where } from '../src/ops/indexing.js';
import { softmax } from '../src/ops/softmax.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  expect(r.ok, `max error ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`).toBe(true);
}

describe('gather', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('picks along axis 1 and axis 0, index may be smaller than x elsewhere', () => {
    expect(
      gather(
        x,
        1,
        tensor([
          [2, 0],
          [1, 1],
        ]),
      ).toArray(),
    ).toEqual([3, 1, 5, 5]);
    expect(gather(x, -1, tensor([[0], [2]])).toArray()).toEqual([1, 6]);
    const g0 = gather(x, 0, tensor([[1, 0, 1]]));
    expect(g0.shape).toEqual([1, 3]);
    expect(g0.toArray()).toEqual([4, 2, 6]);
    expect(gather(x, 1, tensor([[1]])).toArray()).toEqual([2]);
    expect(gather(tensor([5, 6, 7]), 0, [2, 2, 0]).toArray()).toEqual([7, 7, 5]);
  });

  it('errors', () => {
    expect(() => gather(x, 1, tensor([[3]]))).toThrow(
      /index 3 at position 0 is out of range for a dimension of size 3/,
    );
    expect(() => gather(x, 1, tensor([[0.5]]))).toThrow(ValueError);
    expect(() => gather(x, 1, tensor([0, 1]))).toThrow(ShapeError);
    expect(() => gather(x, 1, tensor([0, 1]))).toThrow(
      /expected index with 2 dimension\(s\).*input \[2, 3\].*got index \[2\]/,
    );
    expect(() => gather(x, 1, tensor([[0], [0], [0]]))).toThrow(ShapeError);
  });

  it('gradcheck with repeated indices, both axes', () => {
    const g = new Generator(1);
    const a = randn([3, 4], { ...f64, generator: g });
    expectGradOk(
      (p) =>
        gather(
          p!,
          1,
          tensor([
            [0, 0, 3],
            [2, 1, 2],
            [3, 3, 3],
          ]),
        ),
      [a],
    );
    expectGradOk(
      (p) =>
        gather(
          p!,
          0,
          tensor([
            [2, 0, 0, 1],
            [2, 2, 1, 0],
          ]),
        ),
      [a],
    );
    const b = randn([2, 3, 2], { ...f64, generator: g });
    expectGradOk((p) => gather(p!, 1, tensor([[[2, 0]], [[1, 1]]])), [b]);
  });
});

describe('indexSelect', () => {
  it('values along any axis, repeats allowed', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(indexSelect(x, 0, [1, 1, 0]).toArray()).toEqual([4, 5, 6, 4, 5, 6, 1, 2, 3]);
    const c = indexSelect(x, -1, new Int32Array([2, 0]));
    expect(c.shape).toEqual([2, 2]);
    expect(c.toArray()).toEqual([3, 1, 6, 4]);
    expect(() => indexSelect(x, 0, [2])).toThrow(/out of range for a dimension of size 2/);
    expect(() => indexSelect(x, 0, tensor([[0]]))).toThrow(/expected 1-D indices, got shape \[1, 1\]/);
  });

  it('gradcheck', () => {
    const a = randn([3, 4, 2], { ...f64, generator: new Generator(2) });
    expectGradOk((p) => indexSelect(p!, 1, [3, 0, 3]), [a]);
    expectGradOk((p) => indexSelect(p!, 0, [2, 2]), [a]);
  });
});

describe('maskedFill', () => {
  it('tensor masks broadcast; boolean masks flat or per last dimension', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(
      maskedFill(
        x,
        tensor([
          [1, 0, 0],
          [0, 0, 1],
        ]),
        0,
      ).toArray(),
    ).toEqual([0, 2, 3, 4, 5, 0]);
    expect(maskedFill(x, tensor([0, 1, 0]), -1).toArray()).toEqual([1, -1, 3, 4, -1, 6]);
    expect(maskedFill(x, tensor([[1], [0]]), 9).toArray()).toEqual([9, 9, 9, 4, 5, 6]);
    expect(maskedFill(x, [false, false, true], 0).toArray()).toEqual([1, 2, 0, 4, 5, 0]);
    expect(maskedFill(x, [true, false, false, false, false, true], 0).toArray()).toEqual([0, 2, 3, 4, 5, 0]);
    expect(() => maskedFill(x, tensor([1, 0]), 0)).toThrow(
      /mask of shape \[2\] cannot be broadcast to the input shape \[2, 3\]/,
    );
    expect(() => maskedFill(x, tensor([[[1, 0, 0]], [[1, 0, 0]]]), 0)).toThrow(ShapeError);
    expect(() => maskedFill(x, [true, false], 0)).toThrow(/must have 6 elements.*or 3.*got 2/);
  });

  it('−Infinity masking feeds softmax; masked positions get no gradient', () => {
    const scores = tensor(
      [
        [0.5, 1.5, -0.2],
        [2, 0, 1],
      ],
      undefined,
      f64,
    );
    const mask = tensor([
      [0, 0, 1],
      [0, 1, 1],
    ]);
    const p = softmax(maskedFill(scores, mask, Number.NEGATIVE_INFINITY));
    expect(p.data[2]).toBe(0);
    expect(p.toArray().slice(3)).toEqual([1, 0, 0]);
    expectGradOk((s) => maskedFill(s!, mask, -3), [scores]);
    scores.grad = null;
    maskedFill(scores, mask, 7).backward(
      tensor(
        [
          [1, 1, 1],
          [1, 1, 1],
        ],
        undefined,
        { dtype: 'float64' },
      ),
    );
    expect(scores.grad!.toArray()).toEqual([1, 1, 0, 1, 0, 0]);
  });
});

describe('where', () => {
  it('broadcasts condition and both branches; numbers allowed', () => {
    const c = tensor([[1, 0, 1]]);
    const a = tensor([[1], [2]]);
    const b = tensor([10, 20, 30]);
    const w = where(c, a, b);
    expect(w.shape).toEqual([2, 3]);
    expect(w.toArray()).toEqual([1, 20, 1, 2, 20, 2]);
    expect(where([true, false], tensor([1, 2]), 0).toArray()).toEqual([1, 0]);
    expect(where(tensor([0, 1]), -1, tensor([5, 6])).toArray()).toEqual([5, -1]);
    expect(where(tensor([0, 1]), 3, 4).toArray()).toEqual([4, 3]);
    expect(() => where(tensor([1, 0, 1]), tensor([1, 2]), 0)).toThrow(ShapeError);
  });

  it('gradcheck with broadcasting into both branches', () => {
    const g = new Generator(3);
    const cond = tensor([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    const a = randn([3, 1], { ...f64, generator: g });
    const b = randn([4], { ...f64, generator: g });
    expectGradOk((p, q) => where(cond, p!, q!), [a, b]);
    expectGradOk((p) => where(cond, p!, 0), [randn([3, 4], { ...f64, generator: g })]);
  });
});

describe('oneHot', () => {
  it('encodes indices of any shape; infers the class count', () => {
    const h = oneHot([2, 0], 3);
    expect(h.shape).toEqual([2, 3]);
    expect(h.toArray()).toEqual([0, 0, 1, 1, 0, 0]);
    expect(oneHot([1, 3]).shape).toEqual([2, 4]);
    const t = oneHot(tensor([[1], [0]], undefined, { dtype: 'float64' }), 2);
    expect(t.shape).toEqual([2, 1, 2]);
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([0, 1, 1, 0]);
    expect(oneHot([0], 2, { dtype: 'float64' }).dtype).toBe('float64');
    expect(t.requiresGrad).toBe(false);
    expect(() => oneHot([3], 3)).toThrow(/index 3 at position 0 is out of range for a dimension of size 3/);
    expect(() => oneHot([-1], 3)).toThrow(ValueError);
  });
});
