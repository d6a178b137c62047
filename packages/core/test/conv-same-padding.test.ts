import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, conv2dOutputShape, samePadding, type Conv2dOptions } from '../src/ops/conv.js';
import { getBackend, initWasm, useBackend, type BackendName } from '../src/kernels/backend.js';
import { randn } from '../src/tensor/creation.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { ValueError } from '../src/errors.js';
import { naiveConv, naivePadding } from './helpers/naive-conv.js';

// conv2d's padding: 'same' is PyTorch's at stride 1 and TensorFlow's SAME at larger strides (the odd row / column
// after the image), computed without a padded copy of the input; 'valid' is no padding.

/** [input shape, weight shape, options]: general (im2col, wasm-sized and small), depthwise 3×3 and 5×5, pointwise. */
const CASES: [number[], number[], Conv2dOptions][] = [
  [[1, 3, 20, 19], [8, 3, 3, 3], { stride: 2, padding: 'same' }],
  [[2, 4, 7, 8], [6, 2, 3, 3], { stride: 2, padding: 'same', groups: 2 }],
  [[1, 4, 9, 6], [6, 4, 4, 3], { padding: 'same' }],
  [[1, 6, 10, 11], [6, 1, 3, 3], { stride: 2, padding: 'same', groups: 6 }],
  [[1, 3, 9, 10], [6, 1, 5, 5], { stride: 2, padding: 'same', groups: 3 }],
  [[1, 4, 8, 7], [4, 1, 3, 3], { padding: 'same', dilation: 2, groups: 4 }],
  [[1, 24, 6, 5], [16, 24, 1, 1], { stride: 2, padding: 'same' }],
  [[1, 3, 7, 6], [5, 3, 3, 3], { padding: 'valid' }],
];

describe("conv2d padding 'same' / 'valid'", () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it("conv2dOutputShape gives conv2d's output shape, and conv2d's errors", () => {
    const g = new Generator(7);
    for (const [xs, ws, options] of CASES) {
      const w = randn(ws, { generator: g });
      expect(conv2dOutputShape(xs, w, null, options)).toEqual(
        conv2d(randn(xs, { generator: g }), w, null, options).shape,
      );
    }
    expect(() => conv2dOutputShape([1, 3, 2, 2], randn([4, 3, 5, 5]), null, {})).toThrow(
      /larger than the padded input/,
    );
  });

  it("pads as TensorFlow's SAME: the odd pixel after, none once the stride covers the kernel", () => {
    expect(samePadding(300, 3, 2, 1)).toEqual([0, 1]); // MobileNet's stem: 300 → 150
    expect(samePadding(150, 3, 2, 1)).toEqual([0, 1]);
    expect(samePadding(75, 3, 2, 1)).toEqual([1, 1]); // 75 → 38
    expect(samePadding(7, 3, 1, 1)).toEqual([1, 1]);
    expect(samePadding(8, 4, 1, 1)).toEqual([1, 2]); // PyTorch's 'same' for an even kernel
    expect(samePadding(9, 3, 1, 2)).toEqual([2, 2]);
    expect(samePadding(4, 1, 2, 1)).toEqual([0, 0]);
  });

  it('gives ceil(input / stride) outputs equal to the definition (float64, float32, both backends)', async () => {
    await initWasm();
    const g = new Generator(31);
    for (const backend of ['wasm', 'ts'] as BackendName[]) {
      useBackend(backend);
      for (const dtype of ['float64', 'float32'] as const) {
        for (const [xs, ws, options] of CASES) {
          const x = randn(xs, { dtype, generator: g });
          const w = randn(ws, { dtype, generator: g });
          const b = randn([ws[0]!], { dtype, generator: g });
          const pair = (v: Conv2dOptions['stride'], d: number): [number, number] =>
            v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
          const [s, d] = [pair(options.stride, 1), pair(options.dilation, 1)];
          const padding = naivePadding(options, [xs[2]!, xs[3]!], [ws[2]!, ws[3]!]);
          const want = naiveConv(x, w, b, s, padding, d, options.groups ?? 1);
          const got = conv2d(x, w, b, options);
          const where = `${backend} ${dtype} ${JSON.stringify([xs, ws, options])}`;
          if (options.padding === 'same') {
            expect(got.shape, where).toEqual([xs[0], ws[0], Math.ceil(xs[2]! / s[0]), Math.ceil(xs[3]! / s[1])]);
          }
          expect(got.shape, where).toEqual([xs[0], ws[0], want[0]![0]!.length, want[0]![0]![0]!.length]);
          const flat = want.flat(3);
          const tolerance = dtype === 'float64' ? 1e-12 : 2e-5;
          flat.forEach((v, i) => {
            expect(Math.abs(got.data[i]! - v), `${where} [${i}]`).toBeLessThanOrEqual(tolerance * (1 + Math.abs(v)));
          });
        }
      }
    }
  });

  it('passes float64 gradcheck with asymmetric padding (general and depthwise paths)', () => {
    const g = new Generator(32);
    for (const [xs, ws, options] of CASES) {
      const f64 = { dtype: 'float64' as const, generator: g };
      const x = randn(xs, f64);
      const w = randn(ws, f64);
      const b = randn([ws[0]!], f64);
      const r = gradcheck((p, q, s) => conv2d(p!, q!, s!, options), [x, w, b]);
      expect(r.ok, `${JSON.stringify([xs, ws, options])}: ${JSON.stringify(r.worst)}`).toBe(true);
    }
  });

  it('refuses another padding string with a ValueError naming the argument', () => {
    const bad = { padding: 'full' } as unknown as Conv2dOptions;
    expect(() => conv2d(randn([1, 2, 4, 4]), randn([2, 2, 3, 3]), null, bad)).toThrow(ValueError);
    expect(() => conv2d(randn([1, 2, 4, 4]), randn([2, 2, 3, 3]), null, bad)).toThrow(/conv2d padding.*"full"/);
  });
});
