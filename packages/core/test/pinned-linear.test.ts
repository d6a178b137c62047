import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { linear } from '../src/ops/matmul.js';
import { pinLinear } from '../src/ops/pinned-linear.js';
import { Generator } from '../src/random.js';
import { randn } from '../src/tensor/creation.js';
import { ShapeError, ValueError } from '../src/errors.js';

const bits = (d: ArrayLike<number>) => Array.from(d);

describe('pinLinear', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  for (const backend of ['wasm', 'ts'] as const) {
    it(`gives linear()'s numbers bit for bit, with and without bias, on the ${backend} backend`, async () => {
      if (backend === 'wasm') await initWasm();
      useBackend(backend);
      const g = new Generator(4);
      const weight = randn([37, 48], { generator: g });
      const bias = randn([37], { generator: g });
      for (const withBias of [true, false]) {
        const pinned = pinLinear(weight, withBias ? bias : null);
        for (const rows of [1, 5, 64]) {
          const x = randn([rows, 48], { generator: g });
          expect(bits(pinned.forward(x).data)).toEqual(bits(linear(x, weight, withBias ? bias : null).data));
        }
        const x3 = randn([2, 3, 48], { generator: g });
        expect(pinned.forward(x3).shape).toEqual([2, 3, 37]);
        pinned.dispose();
      }
    });
  }

  it('float64 weights run the plain kernels with the same numbers', () => {
    const g = new Generator(5);
    const weight = randn([9, 6], { generator: g, dtype: 'float64' });
    const x = randn([4, 6], { generator: g, dtype: 'float64' });
    const pinned = pinLinear(weight);
    expect(bits(pinned.forward(x).data)).toEqual(bits(linear(x, weight).data));
    pinned.dispose();
  });

  it('refuses wrong shapes, mixed dtypes and use after dispose', () => {
    const weight = randn([3, 4]);
    expect(() => pinLinear(randn([3]))).toThrow(ShapeError);
    expect(() => pinLinear(weight, randn([4]))).toThrow(/bias must have shape \[3\], got \[4\]/);
    const pinned = pinLinear(weight);
    expect(() => pinned.forward(randn([2, 5]))).toThrow(/in_features=4, got input \[2, 5\]/);
    expect(() => pinned.forward(randn([2, 4], { dtype: 'float64' }))).toThrow(ValueError);
    pinned.dispose();
    expect(() => pinned.forward(randn([2, 4]))).toThrow(/after dispose/);
  });
});
