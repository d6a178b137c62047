import { describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions, type Size2d } from '../src/ops/conv.js';
import { Conv2d } from '../src/nn/conv2d.js';
import { tensor, randn, arange } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { naiveConv } from './helpers/naive-conv.js';

/** The cases below pad symmetrically (numbers), as the naive reference takes. */
type SymmetricConvOptions = Conv2dOptions & { padding?: Size2d };

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('conv2d', () => {
  it('matches hand-computed values', () => {
    const x = tensor(arange(1, 10).toArray(), [1, 1, 3, 3], { dtype: 'float64' });
    const diag = tensor([1, 0, 0, -1], [1, 1, 2, 2], { dtype: 'float64' });
    // out[i, j] = x[i, j] − x[i+1, j+1] = −4 everywhere; bias 1 → −3.
    expect(conv2d(x, diag, tensor([1], [1], { dtype: 'float64' })).tolist()).toEqual([
      [
        [
          [-3, -3],
          [-3, -3],
        ],
      ],
    ]);
    const box = tensor([1, 1, 1, 1], [1, 1, 2, 2], { dtype: 'float64' });
    // Padded 5x5 sampled every 2: windows {x00}, {x01,x02}, {x10,x20}, {x11,x12,x21,x22}.
    expect(conv2d(x, box, null, { stride: 2, padding: 1 }).tolist()).toEqual([
      [
        [
          [1, 5],
          [11, 28],
        ],
      ],
    ]);
    // Dilation 2 makes the 2x2 kernel touch the four corners.
    expect(conv2d(x, box, null, { dilation: 2 }).tolist()).toEqual([[[[20]]]]);
  });

  it('agrees with a direct convolution for mixed stride, padding, dilation and groups', () => {
    const g = new Generator(7);
    const cases: [number[], number[], SymmetricConvOptions, boolean][] = [
      [[2, 3, 7, 6], [4, 3, 3, 3], { stride: 1, padding: 1 }, true],
      [[1, 4, 9, 8], [6, 2, 3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }, true],
      [[2, 2, 5, 5], [3, 2, 1, 1], { stride: 3 }, false],
      [[1, 6, 6, 7], [6, 1, 3, 3], { padding: 2, dilation: 2, groups: 6 }, true],
      [[2, 4, 3, 5], [6, 2, 1, 1], { groups: 2 }, true], // pointwise: the image is its own col matrix
    ];
    for (const [xs, ws, opts, withBias] of cases) {
      const x = randn(xs, { dtype: 'float64', generator: g });
      const w = randn(ws, { dtype: 'float64', generator: g });
      const b = withBias ? randn([ws[0]!], { dtype: 'float64', generator: g }) : null;
      const pair = (v: number | readonly [number, number] | undefined, dflt: number): [number, number] =>
        v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
      const want = naiveConv(
        x,
        w,
        b,
        pair(opts.stride, 1),
        pair(opts.padding, 0),
        pair(opts.dilation, 1),
        opts.groups ?? 1,
      ).flat(3);
      const got = conv2d(x, w, b, opts).toArray();
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => {
        expect(v).toBeCloseTo(want[i]!, 12);
      });
    }
  });

  it('passes float64 gradcheck with stride, padding, dilation, bias and groups', () => {
    const g = new Generator(11);
    const x = randn([2, 2, 6, 5], { ...f64, generator: g });
    const w = randn([3, 2, 3, 2], { ...f64, generator: g });
    const b = randn([3], { ...f64, generator: g });
    const r1 = gradcheck(
      (p, q, r) => conv2d(p!, q!, r!, { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }),
      [x, w, b],
    );
    expect(r1.ok, JSON.stringify(r1.worst)).toBe(true);
    const xg = randn([1, 4, 5, 5], { ...f64, generator: g });
    const wg = randn([2, 2, 2, 3], { ...f64, generator: g });
    const r2 = gradcheck((p, q) => conv2d(p!, q!, null, { padding: 1, stride: 2, groups: 2 }), [xg, wg]);
    expect(r2.ok, JSON.stringify(r2.worst)).toBe(true);
    const w1 = randn([3, 4, 1, 1], { ...f64, generator: g });
    const r3 = gradcheck((p, q, r) => conv2d(p!, q!, r!), [xg, w1, b]);
    expect(r3.ok, JSON.stringify(r3.worst)).toBe(true);
  });

  it('accepts an unbatched [C, H, W] input and returns [O, oH, oW]', () => {
    const g = new Generator(3);
    const x = randn([2, 4, 4], { ...f64, generator: g });
    const w = randn([3, 2, 3, 3], { ...f64, generator: g });
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([3, 4, 4]);
    const batched = conv2d(new Tensor(x.data, [1, 2, 4, 4]), w, null, { padding: 1 });
    expect(y.toArray()).toEqual(batched.toArray());
    expect(gradcheck((p, q) => conv2d(p!, q!, null, { padding: 1 }), [x, w]).ok).toBe(true);
  });

  it('computes in float32 when both operands are float32', () => {
    const x = tensor(arange(1, 10).toArray(), [1, 1, 3, 3]);
    const y = conv2d(x, tensor([1, 1, 1, 1], [1, 1, 2, 2]));
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([12, 16, 24, 28]);
  });

  it('rejects bad shapes and options with expected vs got', () => {
    const x = randn([1, 3, 5, 5]);
    expect(() => conv2d(x, randn([4, 2, 3, 3]))).toThrow(ShapeError);
    expect(() => conv2d(x, randn([4, 2, 3, 3]))).toThrow(
      /expects input with 2 channels, got input \[1, 3, 5, 5\] with 3 channels/,
    );
    expect(() => conv2d(x, randn([4, 3, 7, 3]))).toThrow(/kernel 7x3 .* larger than the padded input 5x5/);
    expect(() => conv2d(x, randn([4, 3, 7, 3]), null, { padding: 1 })).not.toThrow();
    expect(() => conv2d(x, randn([4, 3, 3, 3]), null, { dilation: 3 })).toThrow(/effective 7x7/);
    expect(() => conv2d(randn([3, 5]), randn([4, 3, 3, 3]))).toThrow(/input must be 4-D \[N, C, H, W\].*got \[3, 5\]/);
    expect(() => conv2d(x, randn([4, 3, 3]))).toThrow(/weight must be 4-D/);
    expect(() => conv2d(x, randn([4, 3, 3, 3]), randn([5]))).toThrow(/bias: expected shape \[4\], got \[5\]/);
    expect(() => conv2d(x, randn([4, 3, 3, 3]), null, { stride: 0 })).toThrow(ValueError);
    expect(() => conv2d(x, randn([4, 3, 3, 3]), null, { padding: -1 })).toThrow(/padding must be integer\(s\) ≥ 0/);
    expect(() => conv2d(x, randn([4, 1, 3, 3]), null, { groups: 2 })).toThrow(/groups=2 expects input with 2 channels/);
    expect(() => conv2d(x, randn([5, 1, 3, 3]), null, { groups: 3 })).toThrow(
      /out_channels 5 is not divisible by groups 3/,
    );
  });
});

describe('Conv2d module', () => {
  it('has PyTorch names, shapes and init bounds', () => {
    const conv = new Conv2d({
      inChannels: 3,
      outChannels: 8,
      kernelSize: [3, 2],
      padding: 1,
      generator: new Generator(0),
    });
    expect(Object.keys(conv.stateDict())).toEqual(['weight', 'bias']);
    expect(conv.weight.shape).toEqual([8, 3, 3, 2]);
    expect(conv.bias!.shape).toEqual([8]);
    const bound = 1 / Math.sqrt(3 * 3 * 2);
    for (const p of [conv.weight, conv.bias!]) {
      const vals = p.toArray();
      expect(Math.max(...vals.map(Math.abs))).toBeLessThanOrEqual(bound);
      // Not a degenerate fill: the draws cover a good part of the interval.
      expect(Math.max(...vals) - Math.min(...vals)).toBeGreaterThan(bound);
    }
    const grouped = new Conv2d({
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      groups: 2,
      bias: false,
      dtype: 'float64',
    });
    expect(grouped.weight.shape).toEqual([6, 2, 3, 3]);
    expect(grouped.weight.dtype).toBe('float64');
    expect(grouped.bias).toBeNull();
    expect(Object.keys(grouped.stateDict())).toEqual(['weight']);
    expect(Math.max(...grouped.weight.toArray().map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(18));
  });

  it('runs forward and backward through its parameters', () => {
    const conv = new Conv2d({
      inChannels: 2,
      outChannels: 3,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      dtype: 'float64',
      generator: new Generator(1),
    });
    const y = conv.forward(randn([2, 2, 5, 5], { dtype: 'float64', generator: new Generator(2) }));
    expect(y.shape).toEqual([2, 3, 3, 3]);
    y.backward(new Tensor(new Float64Array(y.size).fill(1), y.shape));
    // d(sum)/d(bias_o) counts the output positions: 2 images · 9 positions.
    expect(conv.bias!.grad!.toArray()).toEqual([18, 18, 18]);
    expect(conv.weight.grad!.shape).toEqual([3, 2, 3, 3]);
  });

  it('rejects bad constructor options', () => {
    expect(() => new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2 })).toThrow(
      /divisible by groups/,
    );
    expect(() => new Conv2d({ inChannels: 0, outChannels: 4, kernelSize: 3 })).toThrow(
      /inChannels must be a positive integer/,
    );
    expect(() => new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 0 })).toThrow(/kernelSize must be integer/);
  });
});
