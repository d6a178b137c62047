import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions, type ConvActivation } from '../src/ops/conv.js';
import { clamp, relu } from '../src/ops/unary.js';
import { sum } from '../src/ops/reduce.js';
import { mul } from '../src/ops/arithmetic.js';
import { getBackend, initWasm, useBackend, type BackendName } from '../src/kernels/backend.js';
import { randn } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { ValueError } from '../src/errors.js';

// conv2d's `activation` option fuses relu / relu6 into the kernels (the wasm depthwise 3×3 and pointwise paths, and
// the TypeScript loops). It must equal the unfused composition exactly, forward and backward.
const unfused = (y: Tensor, activation: ConvActivation): Tensor =>
  activation === 'relu' ? relu(y) : clamp(y, { min: 0, max: 6 });

/** [input shape, weight shape, options]: depthwise 3×3 (both strides), pointwise (wasm-sized and tiny), general. */
const LAYERS: [number[], number[], Conv2dOptions][] = [
  [[1, 8, 9, 10], [8, 1, 3, 3], { padding: 1, groups: 8 }],
  [[2, 6, 11, 7], [6, 1, 3, 3], { stride: 2, padding: [0, 1], groups: 6 }],
  [[2, 24, 7, 9], [16, 24, 1, 1], {}],
  [[1, 3, 5, 5], [2, 3, 1, 1], {}],
  [[1, 3, 9, 8], [5, 3, 3, 3], { stride: 2, padding: 1 }],
  // large enough for the wasm GEMM (im2col into wasm memory), TensorFlow's SAME at stride 2 as MobileNet's stem
  [[1, 3, 17, 16], [8, 3, 3, 3], { stride: 2, padding: 'same' }],
];

describe('conv2d fused activation', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it('equals relu / relu6 of the unfused output, with its gradients, on both backends (float32)', async () => {
    await initWasm();
    const g = new Generator(21);
    for (const backend of ['wasm', 'ts'] as BackendName[]) {
      useBackend(backend);
      for (const [xs, ws, options] of LAYERS) {
        for (const activation of ['relu', 'relu6'] as ConvActivation[]) {
          // scaled so the outputs cross both 0 and 6
          const x = mul(randn(xs, { generator: g }), 3)
            .detach()
            .requiresGrad_();
          const w = randn(ws, { generator: g }).requiresGrad_();
          const b = randn([ws[0]!], { generator: g }).requiresGrad_();
          const upstream = randn([], { generator: g });
          const fused = conv2d(x, w, b, { ...options, activation });
          const reference = unfused(conv2d(x, w, b, options), activation);
          const where = `${backend} ${activation} ${JSON.stringify([xs, ws, options])}`;
          expect(fused.shape, where).toEqual(reference.shape);
          expect(Array.from(fused.data), where).toEqual(Array.from(reference.data));
          const clamped = Array.from(fused.data).filter((v) => v === 0 || v === 6).length;
          expect(clamped, `${where}: some outputs clamped`).toBeGreaterThan(0);
          const grads = (y: Tensor): number[][] => {
            for (const t of [x, w, b]) t.grad = null;
            sum(mul(y, upstream.item())).backward();
            return [x, w, b].map((t) => Array.from(t.grad?.data ?? []));
          };
          expect(grads(fused), where).toEqual(grads(reference));
        }
      }
    }
  });

  it('passes float64 gradcheck through relu and relu6', () => {
    const g = new Generator(22);
    const f64 = { dtype: 'float64' as const, generator: g };
    for (const [xs, ws, options] of LAYERS) {
      for (const activation of ['relu', 'relu6'] as ConvActivation[]) {
        const x = mul(randn(xs, f64), 3).detach();
        const w = randn(ws, f64);
        const b = randn([ws[0]!], f64);
        const r = gradcheck((p, q, s) => conv2d(p!, q!, s!, { ...options, activation }), [x, w, b]);
        expect(r.ok, `${activation} ${JSON.stringify(options)}: ${JSON.stringify(r.worst)}`).toBe(true);
      }
    }
  });

  it('computes the pointwise wasm path (bias, clamp after the product) within float32 rounding of TS', async () => {
    await initWasm();
    const g = new Generator(23);
    const x = randn([2, 40, 13, 11], { generator: g });
    const w = randn([33, 40, 1, 1], { generator: g });
    const b = randn([33], { generator: g });
    for (const activation of [undefined, 'relu6'] as const) {
      useBackend('wasm');
      const onWasm = conv2d(x, w, b, { activation }).data;
      useBackend('ts');
      const onTs = conv2d(x, w, b, { activation }).data;
      for (let i = 0; i < onTs.length; i++) {
        expect(Math.abs(onWasm[i]! - onTs[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(onTs[i]!)));
      }
    }
  });

  it('refuses an unknown activation with a ValueError naming the option', () => {
    const x = randn([1, 2, 4, 4]);
    const w = randn([2, 2, 1, 1]);
    const bad = { activation: 'tanh' } as unknown as Conv2dOptions;
    expect(() => conv2d(x, w, null, bad)).toThrow(ValueError);
    expect(() => conv2d(x, w, null, bad)).toThrow(/conv2d: activation must be 'relu' or 'relu6'.*"tanh"/);
  });
});
