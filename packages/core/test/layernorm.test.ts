import { describe, expect, it } from 'vitest';
import { layerNorm } from '../src/ops/layernorm.js';
import { LayerNorm } from '../src/nn/layernorm.js';
import { tensor, randn } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { ShapeError, ValueError } from '../src/errors.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('layerNorm', () => {
  it('matches hand-computed values with the biased variance', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [2, 2, 2, 2],
      ],
      undefined,
      { dtype: 'float64' },
    );
    // Row 0: mean 2.5, biased variance 1.25. Row 1 is constant: all zeros after normalising.
    const inv = 1 / Math.sqrt(1.25 + 1e-5);
    const y = layerNorm(x, 4);
    const want = [-1.5 * inv, -0.5 * inv, 0.5 * inv, 1.5 * inv, 0, 0, 0, 0];
    y.toArray().forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 14);
    });
    const w = tensor([1, 2, 1, 1], undefined, { dtype: 'float64' });
    const b = tensor([0, 0, 0, 1], undefined, { dtype: 'float64' });
    const affine = layerNorm(x, [4], w, b, 0.25);
    const inv2 = 1 / Math.sqrt(1.5);
    const want2 = [-1.5 * inv2, -1 * inv2, 0.5 * inv2, 1.5 * inv2 + 1, 0, 0, 0, 1];
    affine.toArray().forEach((v, i) => {
      expect(v).toBeCloseTo(want2[i]!, 14);
    });
  });

  it('normalises over several trailing dims', () => {
    const x = randn([2, 3, 4], { dtype: 'float64', generator: new Generator(1) });
    const y = layerNorm(x, [3, 4]).toArray();
    for (let r = 0; r < 2; r++) {
      const row = y.slice(r * 12, (r + 1) * 12);
      const mean = row.reduce((a, v) => a + v, 0) / 12;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 12;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 4);
    }
  });

  it('passes float64 gradcheck with and without affine parameters', () => {
    const g = new Generator(2);
    const x = randn([3, 2, 5], { ...f64, generator: g });
    const w = randn([5], { ...f64, generator: g });
    const b = randn([5], { ...f64, generator: g });
    const r = gradcheck((p, q, s) => layerNorm(p!, 5, q!, s!), [x, w, b]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    expect(gradcheck((p) => layerNorm(p!, [2, 5], null, null, 1e-3), [x]).ok).toBe(true);
    const w2 = randn([2, 5], { ...f64, generator: g });
    expect(gradcheck((p, q) => layerNorm(p!, [2, 5], q!), [x, w2]).ok).toBe(true);
  });

  it('keeps float32 in float32', () => {
    const y = layerNorm(tensor([1, 2, 3]), 3);
    expect(y.dtype).toBe('float32');
  });

  it('rejects mismatched shapes with expected vs got', () => {
    const x = randn([2, 3, 4]);
    expect(() => layerNorm(x, 3)).toThrow(ShapeError);
    expect(() => layerNorm(x, 3)).toThrow(
      /trailing dimensions must equal normalizedShape \[3\], got input \[2, 3, 4\]/,
    );
    expect(() => layerNorm(x, [2, 3, 4, 5])).toThrow(ShapeError);
    expect(() => layerNorm(x, 4, randn([3]))).toThrow(/weight: expected shape \[4\], got \[3\]/);
    expect(() => layerNorm(x, 4, null, randn([4, 1]))).toThrow(/bias: expected shape \[4\], got \[4, 1\]/);
    expect(() => layerNorm(x, [])).toThrow(ValueError);
    expect(() => layerNorm(x, 4, null, null, -1)).toThrow(/eps must be a non-negative number/);
  });
});

describe('LayerNorm module', () => {
  it('initialises weight to ones and bias to zeros with PyTorch names', () => {
    const ln = new LayerNorm({ normalizedShape: 6 });
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.weight!.toArray()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(ln.bias!.toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ln.eps).toBe(1e-5);
    const plain = new LayerNorm({ normalizedShape: [2, 3], elementwiseAffine: false, eps: 1e-6, dtype: 'float64' });
    expect(plain.parameters()).toEqual([]);
    expect(plain.forward(randn([4, 2, 3], { dtype: 'float64' })).shape).toEqual([4, 2, 3]);
    expect(Object.keys(new LayerNorm({ normalizedShape: 3, bias: false }).stateDict())).toEqual(['weight']);
  });

  it('trains its parameters', () => {
    const ln = new LayerNorm({ normalizedShape: 3, dtype: 'float64' });
    const y = ln.forward(
      tensor(
        [
          [1, 2, 4],
          [0, 1, 0],
        ],
        undefined,
        { dtype: 'float64' },
      ),
    );
    y.backward(new Tensor(new Float64Array(6).fill(1), y.shape));
    // d(sum y)/d bias = number of rows; d/d weight = column sums of x̂ (rows of x̂ sum to 0, columns need not).
    expect(ln.bias!.grad!.toArray()).toEqual([2, 2, 2]);
    expect(ln.weight!.grad!.toArray().reduce((a, v) => a + v, 0)).toBeCloseTo(0, 12);
  });

  it('rejects a bad normalizedShape', () => {
    expect(() => new LayerNorm({ normalizedShape: 0 })).toThrow(
      /normalizedShape must be one or more positive integers/,
    );
  });
});
