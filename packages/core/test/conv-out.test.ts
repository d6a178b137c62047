import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions } from '../src/ops/conv.js';
import { getBackend, initWasm, useBackend, type BackendName } from '../src/kernels/backend.js';
import { full, randn } from '../src/tensor/creation.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { Generator } from '../src/random.js';
import { ShapeError, ValueError } from '../src/errors.js';

// conv2d's `out` option (inference only) writes into a given tensor: every path must overwrite all of it.
const LAYERS: [number[], number[], Conv2dOptions][] = [
  [[1, 8, 9, 10], [8, 1, 3, 3], { padding: 1, groups: 8, activation: 'relu6' }],
  [[2, 6, 11, 7], [6, 1, 3, 3], { stride: 2, groups: 6 }],
  [[1, 4, 7, 7], [8, 1, 3, 3], { groups: 4 }],
  [[2, 24, 7, 9], [16, 24, 1, 1], { activation: 'relu' }],
  [[1, 3, 9, 8], [5, 3, 3, 3], { stride: 2, padding: 1 }],
];

describe('conv2d out=', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it('writes the values of a fresh result into a used buffer, with and without bias, on both backends', async () => {
    await initWasm();
    const g = new Generator(31);
    for (const backend of ['wasm', 'ts'] as BackendName[]) {
      useBackend(backend);
      for (const [xs, ws, options] of LAYERS) {
        for (const withBias of [true, false]) {
          const x = randn(xs, { generator: g });
          const w = randn(ws, { generator: g });
          const b = withBias ? randn([ws[0]!], { generator: g }) : null;
          const fresh = conv2d(x, w, b, options);
          const out = full(fresh.shape, Number.NaN);
          const y = noGrad(() => conv2d(x, w, b, { ...options, out }));
          expect(y.data).toBe(out.data);
          expect(Array.from(y.data), `${backend} ${JSON.stringify([xs, options])}`).toEqual(Array.from(fresh.data));
        }
      }
    }
  });

  it('takes an unbatched out for an unbatched input', () => {
    const x = randn([2, 5, 5]);
    const w = randn([3, 2, 3, 3]);
    const out = full([3, 3, 3], 7);
    const y = conv2d(x, w, null, { out });
    expect(y.shape).toEqual([3, 3, 3]);
    expect(y.data).toBe(out.data);
    expect(Array.from(out.data)).toEqual(Array.from(conv2d(x, w).data));
  });

  it('refuses a recorded gradient, a wrong shape or dtype, and storage shared with the input', () => {
    const x = randn([1, 2, 4, 4]);
    const w = randn([2, 2, 1, 1]).requiresGrad_();
    expect(() => conv2d(x, w, null, { out: full([1, 2, 4, 4], 0) })).toThrow(/out= is for inference only/);
    const frozen = w.detach();
    expect(() => conv2d(x, frozen, null, { out: full([1, 2, 4, 3], 0) })).toThrow(ShapeError);
    expect(() => conv2d(x, frozen, null, { out: full([1, 2, 4, 4], 0, { dtype: 'float64' }) })).toThrow(
      /expected float32 \[1, 2, 4, 4\], got float64/,
    );
    expect(() => conv2d(x, frozen, null, { out: x })).toThrow(ValueError);
  });
});
