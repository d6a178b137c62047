import { describe, expect, it } from 'vitest';
import { arange, randn, tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ValueError } from '../src/errors.js';
import { argmax, argmin, max, mean, min, sum, variance, type Axes } from '../src/ops/reduce.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  expect(r.ok, `max error ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`).toBe(true);
}

/** x[i][j][k] = 100i + 10j + k for shape [2, 3, 4]. */
function cube(): Tensor {
  const t = arange(24, undefined, 1, { dtype: 'float64' });
  for (let n = 0; n < 24; n++) t.data[n] = 100 * Math.floor(n / 12) + 10 * (Math.floor(n / 4) % 3) + (n % 4);
  return t.withData(t.data, [2, 3, 4]);
}

const AXIS_CASES: { axis: Axes; keepdim: boolean }[] = [
  { axis: undefined, keepdim: false },
  { axis: undefined, keepdim: true },
  { axis: 0, keepdim: false },
  { axis: 1, keepdim: true },
  { axis: -1, keepdim: false },
  { axis: [0, 1], keepdim: false },
  { axis: [0, 2], keepdim: true },
  { axis: [-1, 0], keepdim: false },
  { axis: [1, 2], keepdim: true },
];

describe('sum and mean', () => {
  it('reduce one axis, several axes or everything, with keepdim and negative axes', () => {
    const x = cube();
    expect(sum(x).shape).toEqual([]);
    expect(sum(x).item()).toBe(12 * 100 + 8 * 10 * 3 + 6 * 6);
    expect(sum(x, undefined, true).shape).toEqual([1, 1, 1]);
    const s1 = sum(x, 1);
    expect(s1.shape).toEqual([2, 4]);
    expect(s1.toArray()).toEqual([30, 33, 36, 39, 330, 333, 336, 339]);
    expect(sum(x, -1, true).shape).toEqual([2, 3, 1]);
    expect(sum(x, -1).toArray()).toEqual([6, 46, 86, 406, 446, 486]);
    // Non-consecutive axes [0, 2]: one value per j.
    const s02 = sum(x, [0, 2]);
    expect(s02.shape).toEqual([3]);
    expect(s02.toArray()).toEqual([412, 492, 572]);
    expect(sum(x, [2, 0], true).shape).toEqual([1, 3, 1]);
    expect(mean(x, [0, 2]).toArray()).toEqual([412 / 8, 492 / 8, 572 / 8]);
    expect(mean(x, 0).toArray().slice(0, 3)).toEqual([50, 51, 52]);
    expect(mean(x).item()).toBeCloseTo(sum(x).item() / 24, 12);
  });

  it('handle 0-d tensors and empty reductions like PyTorch', () => {
    const s = tensor(5);
    expect(sum(s).item()).toBe(5);
    expect(sum(s, 0).item()).toBe(5);
    expect(sum(s, -1).shape).toEqual([]);
    expect(max(s, -1).item()).toBe(5);
    expect(argmax(s, 0).item()).toBe(0);
    expect(() => sum(s, 1)).toThrow(ValueError);
    const empty = tensor([], [0, 3]);
    expect(sum(empty, 0).toArray()).toEqual([0, 0, 0]);
    expect(mean(empty, 0).toArray().every(Number.isNaN)).toBe(true);
  });

  it('accumulate float32 in float64 (no drift over many elements)', () => {
    const x = tensor(new Float32Array(100000).fill(0.1), [100000]);
    expect(Math.abs(sum(x).item() - 100000 * Math.fround(0.1))).toBeLessThan(1e-2);
    expect(sum(x).dtype).toBe('float32');
  });

  it('reject bad axes with a clear message', () => {
    const x = cube();
    expect(() => sum(x, 3)).toThrow(ValueError);
    expect(() => sum(x, 3)).toThrow(/axis 3 is out of range for a tensor with 3 dimension/);
    expect(() => sum(x, [1, -2])).toThrow(/repeats a dimension/);
    expect(() => mean(x, [])).toThrow(/empty axis list/);
  });

  it('gradcheck for every axis variant', () => {
    const g = new Generator(5);
    for (const { axis, keepdim } of AXIS_CASES) {
      const x = randn([2, 3, 4], { ...f64, generator: g });
      expectGradOk((a) => sum(a!, axis, keepdim), [x]);
      expectGradOk((a) => mean(a!, axis, keepdim), [x]);
    }
  });
});

describe('max and min', () => {
  it('values along axes and overall', () => {
    const x = tensor(
      [
        [1, 5, 2],
        [7, -1, 7],
      ],
      undefined,
      { dtype: 'float64' },
    );
    expect(max(x).item()).toBe(7);
    expect(min(x).item()).toBe(-1);
    expect(max(x, 1).toArray()).toEqual([5, 7]);
    expect(max(x, 0, true).shape).toEqual([1, 3]);
    expect(max(x, 0, true).toArray()).toEqual([7, 5, 7]);
    expect(min(x, -1).toArray()).toEqual([1, -1]);
    expect(max(cube(), [0, 2]).toArray()).toEqual([103, 113, 123]);
    expect(Number.isNaN(max(tensor([1, Number.NaN, 3])).item())).toBe(true);
  });

  it('single axis: gradient goes to the first maximum, like torch.max(x, dim)', () => {
    const x = tensor(
      [
        [7, 2, 7],
        [1, 1, 0],
      ],
      undefined,
      f64,
    );
    max(x, 1).backward(tensor([10, 20], undefined, { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([10, 0, 0, 20, 0, 0]);
    x.grad = null;
    min(x, 1).backward(tensor([10, 20], undefined, { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([0, 10, 0, 0, 0, 20]);
  });

  it('no axis or an axis list: ties share the gradient evenly, like torch.amax', () => {
    const x = tensor(
      [
        [7, 2, 7],
        [1, 7, 0],
      ],
      undefined,
      f64,
    );
    max(x).backward(tensor(6, undefined, { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([2, 0, 2, 0, 2, 0]);
    x.grad = null;
    max(x, [1]).backward(tensor([4, 3], undefined, { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([2, 0, 2, 0, 3, 0]);
  });

  it('gradcheck for every axis variant (distinct values)', () => {
    const g = new Generator(8);
    for (const { axis, keepdim } of AXIS_CASES) {
      const x = randn([2, 3, 4], { ...f64, generator: g });
      expectGradOk((a) => max(a!, axis, keepdim), [x]);
      expectGradOk((a) => min(a!, axis, keepdim), [x]);
    }
  });

  it('refuses to reduce an empty dimension', () => {
    expect(() => max(tensor([], [2, 0]), 1)).toThrow(/empty dimension.*\[2, 0\]/);
  });
});

describe('argmax and argmin', () => {
  it('index along an axis, first on ties, NaN counts as largest; flat index without axis', () => {
    const x = tensor([
      [1, 9, 9],
      [4, 3, 2],
    ]);
    const a = argmax(x, 1);
    expect(a.toArray()).toEqual([1, 0]);
    expect(a.dtype).toBe('float32');
    expect(a.requiresGrad).toBe(false);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 0]);
    expect(argmax(x, -1, true).shape).toEqual([2, 1]);
    expect(argmin(x, 1).toArray()).toEqual([0, 2]);
    expect(argmax(x).shape).toEqual([]);
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(0);
    expect(argmax(x, null, true).shape).toEqual([1, 1]);
    expect(argmax(tensor([1, Number.NaN, 5])).item()).toBe(1);
    const c = cube();
    expect(argmax(c, 1).toArray()).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(argmin(c, 0).toArray()).toEqual(new Array(12).fill(0));
  });
});

describe('variance', () => {
  it('unbiased by default, population with correction 0, over axes', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [2, 2, 2, 2],
      ],
      undefined,
      { dtype: 'float64' },
    );
    expect(variance(x, 1).toArray()).toEqual([5 / 3, 0]);
    expect(variance(x, 1, true, 0).toArray()).toEqual([1.25, 0]);
    expect(variance(x, 1, true).shape).toEqual([2, 1]);
    expect(variance(x).item()).toBeCloseTo(
      ((1 - 2.25) ** 2 + (2 - 2.25) ** 2 * 4 + (3 - 2.25) ** 2 + (4 - 2.25) ** 2 + (2 - 2.25) ** 2) / 7,
      14,
    );
    expect(variance(x, 0, false, 0).toArray()).toEqual([0.25, 0, 0.25, 1]);
    expect(variance(cube(), [0, 2], false, 0).toArray()).toEqual([2501.25, 2501.25, 2501.25]);
    expect(Number.isNaN(variance(tensor([3]), 0).item())).toBe(true);
    expect(() => variance(x, 0, false, -1)).toThrow(/correction must be a non-negative number/);
  });

  it('gradcheck for every axis variant', () => {
    const g = new Generator(9);
    for (const { axis, keepdim } of AXIS_CASES) {
      const x = randn([2, 3, 4], { ...f64, generator: g });
      expectGradOk((a) => variance(a!, axis, keepdim), [x]);
      expectGradOk((a) => variance(a!, axis, keepdim, 0), [x]);
    }
  });
});
