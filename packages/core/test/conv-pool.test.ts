import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../src/ops/pool.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../src/nn/pool.js';
import { tensor, randn, arange } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { ShapeError, ValueError } from '../src/errors.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };
const grid = (rows: number, cols: number, options = {}): Tensor =>
  tensor(arange(rows * cols).toArray(), [1, 1, rows, cols], { dtype: 'float64', ...options });
const onesLike = (t: Tensor): Tensor => new Tensor(new Float64Array(t.size).fill(1), t.shape);

describe('maxPool2d', () => {
  it('matches hand-computed values, with padding and dilation', () => {
    const x = tensor(
      [
        [1, 5, 2, 0],
        [3, 4, 8, 1],
        [0, 2, 6, 7],
        [9, 1, 3, 5],
      ],
      undefined,
      { dtype: 'float64' },
    );
    const x4 = new Tensor(x.data, [1, 1, 4, 4]);
    expect(maxPool2d(x4, { kernelSize: 2 }).tolist()).toEqual([
      [
        [
          [5, 8],
          [9, 7],
        ],
      ],
    ]);
    expect(maxPool2d(x4, { kernelSize: 3, stride: 1 }).tolist()).toEqual([
      [
        [
          [8, 8],
          [9, 8],
        ],
      ],
    ]);
    // Padding 1 with kernel 2, stride 2: windows {x00}, {x01,x02}, {x03}; rows likewise.
    expect(maxPool2d(x4, { kernelSize: 2, padding: 1 }).tolist()).toEqual([
      [
        [
          [1, 5, 0],
          [3, 8, 7],
          [9, 3, 5],
        ],
      ],
    ]);
    // Dilation 2, kernel 2, stride 1 on 4x4: taps (i, j), (i, j+2), (i+2, j), (i+2, j+2).
    expect(maxPool2d(x4, { kernelSize: 2, stride: 1, dilation: 2 }).tolist()).toEqual([
      [
        [
          [6, 7],
          [9, 5],
        ],
      ],
    ]);
  });

  it('sends the gradient to the first of tied maxima, and accumulates over overlapping windows', () => {
    const x = tensor(new Float64Array(16).fill(3), [1, 1, 4, 4], { requiresGrad: true });
    const y = maxPool2d(x, { kernelSize: 2 });
    y.backward(onesLike(y));
    expect(x.grad!.toArray()).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const z = tensor([1, 2, 1, 0, 9, 0, 1, 0, 1], [1, 1, 3, 3], { dtype: 'float64', requiresGrad: true });
    const y2 = maxPool2d(z, { kernelSize: 2, stride: 1 });
    expect(y2.toArray()).toEqual([9, 9, 9, 9]);
    y2.backward(onesLike(y2));
    expect(z.grad!.toArray()).toEqual([0, 0, 0, 0, 4, 0, 0, 0, 0]);
  });

  it('propagates NaN like PyTorch', () => {
    const x = tensor([1, Number.NaN, 3, 2], [1, 1, 2, 2], { dtype: 'float64' });
    expect(Number.isNaN(maxPool2d(x, { kernelSize: 2 }).item())).toBe(true);
  });

  it('supports ceil mode with PyTorch output sizes', () => {
    const x = grid(5, 5);
    expect(maxPool2d(x, { kernelSize: 2 }).shape).toEqual([1, 1, 2, 2]);
    const y = maxPool2d(x, { kernelSize: 2, ceilMode: true });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect(y.toArray()).toEqual([6, 8, 9, 16, 18, 19, 21, 23, 24]);
    // A ceil window that would start in the right padding is dropped: 5 with k2 s2 p1 → 3, not ceil(5/2)+1 = 4.
    expect(maxPool2d(grid(5, 5), { kernelSize: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
    expect(maxPool2d(grid(6, 6), { kernelSize: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 4, 4]);
  });

  it('passes float64 gradcheck', () => {
    const g = new Generator(5);
    const x = randn([2, 3, 5, 6], { ...f64, generator: g });
    const r = gradcheck((p) => maxPool2d(p!, { kernelSize: [3, 2], stride: [1, 2], padding: 1 }), [x]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    const u = randn([2, 5, 5], { ...f64, generator: g });
    expect(gradcheck((p) => maxPool2d(p!, { kernelSize: 2, stride: 1, dilation: 2 }), [u]).ok).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => maxPool2d(randn([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(ShapeError);
    expect(() => maxPool2d(randn([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(
      /kernel 3x3 .* larger than the padded input 2x2/,
    );
    expect(() => maxPool2d(randn([1, 1, 4, 4]), { kernelSize: 2, padding: 2 })).toThrow(
      /padding 2x2 must be at most half the kernel 2x2/,
    );
    expect(() => maxPool2d(randn([4, 4]), { kernelSize: 2 })).toThrow(/input must be 4-D .* got \[4, 4\]/);
    expect(() => maxPool2d(randn([1, 1, 4, 4]), { kernelSize: [2, 2, 2] as unknown as [number, number] })).toThrow(
      ValueError,
    );
  });
});

describe('avgPool2d', () => {
  it('matches PyTorch divisors with padding, countIncludePad, ceil mode and divisorOverride', () => {
    const x = tensor(arange(1, 10).toArray(), [1, 1, 3, 3], { dtype: 'float64' });
    expect(avgPool2d(x, { kernelSize: 2, stride: 1 }).toArray()).toEqual([3, 4, 6, 7]);
    const padded = avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1 });
    expect(padded.shape).toEqual([1, 1, 4, 4]);
    expect(padded.toArray().slice(0, 2)).toEqual([0.25, 0.75]);
    expect(
      avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).toArray().slice(0, 2),
    ).toEqual([1, 1.5]);
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, divisorOverride: 2 }).toArray()).toEqual([6, 8, 12, 14]);
    // Ceil mode: the last window [4, 6) is clipped to the input, so it divides by 1 (PyTorch gives 5, not 2.5).
    const row = tensor([1, 2, 3, 4, 5], [1, 1, 1, 5], { dtype: 'float64' });
    expect(avgPool2d(row, { kernelSize: [1, 2], ceilMode: true }).toArray()).toEqual([1.5, 3.5, 5]);
  });

  it('passes float64 gradcheck', () => {
    const x = randn([2, 2, 5, 4], { ...f64, generator: new Generator(9) });
    expect(
      gradcheck(
        (p) => avgPool2d(p!, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, ceilMode: true }),
        [x],
      ).ok,
    ).toBe(true);
    expect(gradcheck((p) => avgPool2d(p!, { kernelSize: [2, 3], stride: 1 }), [x]).ok).toBe(true);
  });

  it('rejects a zero divisorOverride', () => {
    expect(() => avgPool2d(randn([1, 1, 4, 4]), { kernelSize: 2, divisorOverride: 0 })).toThrow(
      /divisorOverride must be a non-zero number/,
    );
  });
});

describe('adaptiveAvgPool2d', () => {
  it('uses floor(i·H/out) … ceil((i+1)·H/out) windows', () => {
    // value = 5r + c, so a window's mean is 5·mean(rows) + mean(cols); row windows {0,1}, {1,2,3}, {3,4}.
    const y = adaptiveAvgPool2d(grid(5, 5), 3);
    expect(y.tolist()).toEqual([
      [
        [
          [3, 4.5, 6],
          [10.5, 12, 13.5],
          [18, 19.5, 21],
        ],
      ],
    ]);
    expect(adaptiveAvgPool2d(grid(2, 3), 1).toArray()).toEqual([2.5]);
    // null keeps the input size along that axis; upsampling repeats cells.
    expect(adaptiveAvgPool2d(grid(2, 3), [1, null]).toArray()).toEqual([1.5, 2.5, 3.5]);
    expect(adaptiveAvgPool2d(grid(1, 2), [1, 4]).toArray()).toEqual([0, 0, 1, 1]);
  });

  it('spreads the gradient evenly over (overlapping) windows', () => {
    const x = grid(1, 5, { requiresGrad: true });
    const y = adaptiveAvgPool2d(x, [1, 3]);
    y.backward(onesLike(y));
    // Windows {0,1}, {1,2,3}, {3,4}: elements 1 and 3 are in two windows.
    const third = 1 / 3;
    expect(x.grad!.toArray()).toEqual([0.5, 0.5 + third, third, third + 0.5, 0.5]);
  });

  it('passes float64 gradcheck', () => {
    const x = randn([2, 3, 7, 5], { ...f64, generator: new Generator(4) });
    expect(gradcheck((p) => adaptiveAvgPool2d(p!, [3, 2]), [x]).ok).toBe(true);
    const u = randn([2, 3, 3], { ...f64, generator: new Generator(6) });
    expect(gradcheck((p) => adaptiveAvgPool2d(p!, 2), [u]).ok).toBe(true);
  });

  it('rejects bad sizes', () => {
    expect(() => adaptiveAvgPool2d(randn([1, 1, 4, 4]), 0)).toThrow(/outputSize must be positive integer/);
    expect(() => adaptiveAvgPool2d(randn([1, 4, 4, 4, 1]), 2)).toThrow(/input must be 4-D .* got \[1, 4, 4, 4, 1\]/);
  });
});

describe('pool modules', () => {
  it('wrap the functional ops', () => {
    const x = randn([2, 3, 6, 6], { generator: new Generator(8) });
    expect(new MaxPool2d({ kernelSize: 2 }).forward(x).toArray()).toEqual(maxPool2d(x, { kernelSize: 2 }).toArray());
    expect(new AvgPool2d({ kernelSize: 3, stride: 2 }).forward(x).shape).toEqual([2, 3, 2, 2]);
    const gap = new AdaptiveAvgPool2d({ outputSize: 1 });
    expect(gap.forward(x).shape).toEqual([2, 3, 1, 1]);
    expect(gap.parameters()).toEqual([]);
  });
});
