import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions } from '../src/ops/conv.js';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { naiveConv, naivePadding } from './helpers/naive-conv.js';

// MobileNet's depthwise layers (3×3, multiplier 1, dilation 1, stride 1 or 2) run on the wasm SIMD kernel in
// float32. Widths cover every tail of the four-wide output vectors (oW mod 4 = 0..3) and padding on one side only.
const CASES: [number[], Conv2dOptions][] = [
  [[2, 3, 7, 6], { padding: 1 }],
  [[1, 4, 9, 9], { stride: 2, padding: 1 }],
  [[1, 5, 8, 11], { stride: 2, padding: [0, 1] }],
  [[2, 2, 5, 5], {}],
  [[1, 3, 10, 12], { stride: 2 }],
  [[1, 6, 13, 7], { padding: [1, 0] }],
  [[1, 2, 4, 9], { stride: 1, padding: 2 }],
  [[1, 32, 38, 38], { stride: 2, padding: 1 }],
  // TensorFlow's SAME at stride 2 (the extra row / column after, as MobileNet's 150 → 75) and PyTorch's 'same'
  [[1, 4, 10, 10], { stride: 2, padding: 'same' }],
  [[1, 5, 11, 8], { stride: 2, padding: 'same' }],
  [[2, 3, 7, 6], { padding: 'same' }],
  [[1, 3, 6, 9], { padding: 'valid' }],
];

describe('depthwise 3×3 conv2d on the wasm kernel (float32)', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it('matches the TS loops and the direct definition within float32 rounding, with and without bias', async () => {
    await initWasm();
    const g = new Generator(11);
    for (const [xs, opts] of CASES) {
      const C = xs[1]!;
      for (const withBias of [true, false]) {
        const x = randn(xs, { generator: g });
        const w = randn([C, 1, 3, 3], { generator: g });
        const b = withBias ? randn([C], { generator: g }) : null;
        const options = { ...opts, groups: C };
        useBackend('wasm');
        const onWasm = conv2d(x, w, b, options);
        useBackend('ts');
        const onTs = conv2d(x, w, b, options);
        const stride = opts.stride === 2 ? ([2, 2] as [number, number]) : ([1, 1] as [number, number]);
        const padding = naivePadding(opts, [xs[2]!, xs[3]!], [3, 3]);
        const want = naiveConv(x, w, b, stride, padding, [1, 1], C).flat(3);
        expect(onWasm.dtype).toBe('float32');
        expect(onWasm.shape).toEqual(onTs.shape);
        expect(onWasm.size).toBe(want.length);
        const got = onWasm.data;
        const ts = onTs.data;
        for (let i = 0; i < want.length; i++) {
          // ten float32 roundings of terms below ~|bias| + 9·max|w·x|
          const tolerance = 1e-5 * (1 + Math.abs(want[i]!));
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(got[i]! - ts[i]!)).toBeLessThanOrEqual(tolerance);
        }
      }
    }
  });

  it('leaves float64 and other shapes to the TypeScript loops (same results on both backends)', async () => {
    await initWasm();
    const g = new Generator(12);
    const x = randn([1, 4, 9, 9], { dtype: 'float64', generator: g });
    const w = randn([4, 1, 3, 3], { dtype: 'float64', generator: g });
    useBackend('wasm');
    const a = conv2d(x, w, null, { padding: 1, groups: 4 }).toArray();
    useBackend('ts');
    const b = conv2d(x, w, null, { padding: 1, groups: 4 }).toArray();
    expect(a).toEqual(b);
    const x32 = randn([1, 2, 9, 9], { generator: g });
    const w3 = randn([2, 1, 3, 3], { generator: g });
    useBackend('wasm');
    const dilated = conv2d(x32, w3, null, { dilation: 2, groups: 2 }).toArray();
    useBackend('ts');
    expect(conv2d(x32, w3, null, { dilation: 2, groups: 2 }).toArray()).toEqual(dilated);
  });
});
