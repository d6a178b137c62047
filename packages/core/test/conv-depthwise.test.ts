import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions, type Size2d } from '../src/ops/conv.js';
import { Conv2d } from '../src/nn/conv2d.js';
import { randn, tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { runCase } from '../src/parity/runner.js';
import { sum } from '../src/ops/reduce.js';
import { naiveConv } from './helpers/naive-conv.js';

/** The cases below pad symmetrically (numbers), as the naive reference takes. */
type SymmetricConvOptions = Conv2dOptions & { padding?: Size2d };

const f64 = { dtype: 'float64' as const, requiresGrad: true };
const pair = (v: number | readonly [number, number] | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

// [x shape, weight shape, options]: groups = C in every case (the direct depthwise path).
const DEPTHWISE_CASES: [number[], number[], SymmetricConvOptions][] = [
  [[2, 3, 7, 6], [3, 1, 3, 3], { padding: 1, groups: 3 }],
  [[1, 4, 9, 8], [8, 1, 3, 3], { stride: 2, padding: 1, groups: 4 }], // channel multiplier 2
  [[1, 2, 8, 9], [2, 1, 5, 2], { stride: [1, 2], padding: [2, 0], dilation: [1, 2], groups: 2 }], // not 3 wide
  [[2, 3, 6, 7], [3, 1, 3, 3], { dilation: 2, padding: [0, 2], groups: 3 }], // 3 wide, dilated columns
  [[1, 5, 4, 4], [5, 1, 1, 1], { groups: 5 }],
];

describe('depthwise conv2d (groups = in_channels)', () => {
  it('agrees with the direct definition for kernels, strides, padding, dilation and channel multipliers', () => {
    const g = new Generator(5);
    for (const [xs, ws, opts] of DEPTHWISE_CASES) {
      for (const withBias of [true, false]) {
        const x = randn(xs, { dtype: 'float64', generator: g });
        const w = randn(ws, { dtype: 'float64', generator: g });
        const b = withBias ? randn([ws[0]!], { dtype: 'float64', generator: g }) : null;
        const [stride, padding, dilation] = [pair(opts.stride, 1), pair(opts.padding, 0), pair(opts.dilation, 1)];
        const want = naiveConv(x, w, b, stride, padding, dilation, xs[1]!).flat(3);
        const got = conv2d(x, w, b, opts).toArray();
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => {
          expect(v).toBeCloseTo(want[i]!, 12);
        });
      }
    }
  });

  it('float32 input gives float32 output within float rounding of the float64 result', () => {
    const g = new Generator(6);
    const x = randn([1, 6, 11, 11], { generator: g });
    const w = randn([6, 1, 3, 3], { generator: g });
    const y = conv2d(x, w, null, { padding: 1, groups: 6 });
    expect(y.dtype).toBe('float32');
    const as64 = (t: Tensor): Tensor => tensor(Float64Array.from(t.data), t.shape);
    const y64 = conv2d(as64(x), as64(w), null, { padding: 1, groups: 6 }).toArray();
    y.toArray().forEach((v, i) => {
      expect(Math.abs(v - y64[i]!)).toBeLessThan(1e-5);
    });
  });

  it('passes float64 gradcheck for input, weight and bias', () => {
    const g = new Generator(13);
    for (const [xs, ws, opts] of DEPTHWISE_CASES) {
      const x = randn(xs, { ...f64, generator: g });
      const w = randn(ws, { ...f64, generator: g });
      const b = randn([ws[0]!], { ...f64, generator: g });
      const r = gradcheck((p, q, s) => conv2d(p!, q!, s!, opts), [x, w, b]);
      expect(r.ok, `${JSON.stringify(opts)}: ${JSON.stringify(r.worst)}`).toBe(true);
    }
  });

  it('Conv2d({groups: inChannels}) is depthwise and back-propagates only what requires grad', () => {
    const conv = new Conv2d({
      inChannels: 4,
      outChannels: 4,
      kernelSize: 3,
      padding: 1,
      groups: 4,
      bias: false,
      generator: new Generator(2),
    });
    expect(conv.weight.shape).toEqual([4, 1, 3, 3]);
    const x = randn([1, 4, 5, 5], { generator: new Generator(3) });
    sum(conv.forward(x)).backward();
    expect(x.grad).toBeNull();
    expect(conv.weight.grad?.shape).toEqual([4, 1, 3, 3]);
  });
});

const FIXTURES = join(import.meta.dirname, 'fixtures', 'pytorch');

// Reference cases written by scripts/conv2d-groups-reference.py (PyTorch) into test/fixtures/pytorch.
describe('grouped and depthwise Conv2d against PyTorch', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('conv2d_') && f.endsWith('.json'))
    .sort();
  it('has the reference cases', () => expect(files.length).toBe(4));
  for (const file of files) {
    it(file.replace(/\.json$/, ''), () => {
      const json = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
      for (const dtype of ['float64', 'float32'] as const) {
        const report = runCase(file, json, dtype);
        expect(report.failures, `${dtype}: ${report.failures.join('; ')}`).toEqual([]);
        expect(report.checked).toBeGreaterThanOrEqual(4);
      }
    });
  }
});
