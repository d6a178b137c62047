import { describe, expect, it } from 'vitest';
import { tensor, randn, uniform } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ValueError } from '../src/errors.js';
import {
  abs,
  clamp,
  erf,
  erfScalar,
  exp,
  gelu,
  log,
  log1p,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sqrt,
  square,
  tanh,
} from '../src/ops/unary.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  expect(r.ok, `max error ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`).toBe(true);
}

function close(got: Tensor, expected: number[], tol = 1e-12): void {
  expect(got.size).toBe(expected.length);
  got.toArray().forEach((v, i) => {
    const e = expected[i]!;
    if (!Number.isFinite(e)) expect(v).toBe(e);
    else
      expect(Math.abs(v - e), `element ${i}: got ${v}, expected ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e)),
      );
  });
}

describe('unary ops: forward values', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 3], undefined, { dtype: 'float64' });

  it('neg, exp, log, log1p, tanh, sigmoid', () => {
    close(neg(x), [2, 0.5, -0, -0.5, -3]);
    close(exp(x), [Math.exp(-2), Math.exp(-0.5), 1, Math.exp(0.5), Math.exp(3)]);
    close(log(tensor([1, Math.E, 0.25], undefined, { dtype: 'float64' })), [0, 1, Math.log(0.25)]);
    expect(log(tensor([0])).item()).toBe(Number.NEGATIVE_INFINITY);
    close(log1p(tensor([1e-20, 1], undefined, { dtype: 'float64' })), [1e-20, Math.LN2]);
    close(tanh(x), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(0.5), Math.tanh(3)]);
    close(sigmoid(x), [
      1 / (1 + Math.exp(2)),
      1 / (1 + Math.exp(0.5)),
      0.5,
      1 / (1 + Math.exp(-0.5)),
      1 / (1 + Math.exp(-3)),
    ]);
  });

  it('relu, abs, sign, sqrt, reciprocal, square, pow', () => {
    close(relu(x), [0, 0, 0, 0.5, 3]);
    expect(Number.isNaN(relu(tensor([Number.NaN])).item())).toBe(true);
    close(abs(x), [2, 0.5, 0, 0.5, 3]);
    close(sign(x), [-1, -1, 0, 1, 1]);
    close(sqrt(tensor([4, 2, 0], undefined, { dtype: 'float64' })), [2, Math.SQRT2, 0]);
    close(reciprocal(tensor([4, -0.5], undefined, { dtype: 'float64' })), [0.25, -2]);
    close(square(x), [4, 0.25, 0, 0.25, 9]);
    close(pow(x, 3), [-8, -0.125, 0, 0.125, 27]);
    close(pow(tensor([4, 9], undefined, { dtype: 'float64' }), 0.5), [2, 3]);
    close(pow(x, 0), [1, 1, 1, 1, 1]);
  });

  it('clamp with min, max, both, options object; NaN stays NaN', () => {
    close(clamp(x, -1, 1), [-1, -0.5, 0, 0.5, 1]);
    close(clamp(x, 0), [0, 0, 0, 0.5, 3]);
    close(clamp(x, null, 0.25), [-2, -0.5, 0, 0.25, 0.25]);
    close(clamp(x, { max: 0.25 }), [-2, -0.5, 0, 0.25, 0.25]);
    expect(Number.isNaN(clamp(tensor([Number.NaN]), -1, 1).item())).toBe(true);
    expect(() => clamp(x, {})).toThrow(ValueError);
    expect(() => clamp(x, Number.NaN)).toThrow(/bounds must be numbers/);
  });

  it('erf matches float64 reference values on every interval of the approximation', () => {
    const table: [number, number][] = [
      [-5.5, -0.9999999999999927],
      [-3.2, -0.9999939742388483],
      [-2.0, -0.9953222650189527],
      [-1.1, -0.8802050695740817],
      [-0.9, -0.7969082124228322],
      [-0.3, -0.3286267594591274],
      [-1e-5, -1.1283791670579e-5],
      [0, 0],
      [2e-9, 2.2567583341910253e-9],
      [0.05, 0.05637197779701663],
      [0.2, 0.22270258921047847],
      [0.6, 0.6038560908479259],
      [0.84, 0.7651427114549946],
      [0.85, 0.7706680576083526],
      [1.0, 0.8427007929497149],
      [1.24, 0.9205051842990297],
      [1.26, 0.9252359418101295],
      [2.5, 0.999593047982555],
      [2.86, 0.9999475988269556],
      [3.5, 0.9999992569016276],
      [5.9, 0.9999999999999999],
      [6.1, 1],
      [27, 1],
    ];
    for (const [v, e] of table)
      expect(Math.abs(erfScalar(v) - e), `erf(${v})`).toBeLessThanOrEqual(
        2.3e-16 * Math.max(Math.abs(e), 1e-300) + 1e-300,
      );
    expect(erfScalar(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erfScalar(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(Number.isNaN(erfScalar(Number.NaN))).toBe(true);
    close(erf(tensor([0.5, -1], undefined, { dtype: 'float64' })), [0.5204998778130465, -0.8427007929497149], 1e-15);
  });

  it('gelu is the exact erf form', () => {
    const g = gelu(tensor([-3, -1, -0.5, 0, 0.5, 1, 2], undefined, { dtype: 'float64' }));
    close(
      g,
      [
        -0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0, 0.34573123063700656, 0.8413447460685429,
        1.9544997361036416,
      ],
      1e-15,
    );
  });

  it('sigmoid and tanh are finite and saturated at ±1000 in both dtypes, with zero gradient', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const big = tensor([-1000, 1000, -88.7, 88.7], undefined, { dtype, requiresGrad: true });
      const s = sigmoid(big);
      expect(s.toArray().slice(0, 2)).toEqual([0, 1]);
      expect(s.toArray().every(Number.isFinite)).toBe(true);
      const t = tanh(big);
      expect(t.toArray().slice(0, 2)).toEqual([-1, 1]);
      s.backward(tensor([1, 1, 1, 1], undefined, { dtype }));
      expect(big.grad!.toArray().every(Number.isFinite)).toBe(true);
      expect(big.grad!.toArray().slice(0, 2)).toEqual([0, 0]);
    }
  });

  it('keeps the input dtype', () => {
    const x32 = tensor([1, 2]);
    for (const f of [neg, exp, log, tanh, sigmoid, relu, gelu, sqrt, abs, square]) expect(f(x32).dtype).toBe('float32');
    expect(gelu(x32.withData(new Float64Array([1, 2]))).dtype).toBe('float64');
  });
});

describe('unary ops: gradients (float64 gradcheck)', () => {
  const g = new Generator(11);
  const x = (): Tensor => randn([3, 4], { ...f64, generator: g });
  // Keeps values away from kinks at 0 so finite differences are valid.
  const awayFromZero = (): Tensor => {
    const t = uniform([3, 4], 0.2, 2, { ...f64, generator: g });
    for (let i = 0; i < t.size; i += 2) t.data[i] = -t.data[i]!;
    return t;
  };
  const positive = (): Tensor => uniform([3, 4], 0.3, 3, { ...f64, generator: g });

  it('smooth ops', () => {
    for (const f of [neg, exp, tanh, sigmoid, gelu, erf, square]) expectGradOk((a) => f(a!), [x()]);
    for (const f of [log, log1p, sqrt, reciprocal]) expectGradOk((a) => f(a!), [positive()]);
  });

  it('pow with integer, fractional and negative exponents', () => {
    for (const p of [1, 2, 3]) expectGradOk((a) => pow(a!, p), [x()]);
    for (const p of [0.5, -1, -2.5, 1.7]) expectGradOk((a) => pow(a!, p), [positive()]);
    const z = x();
    pow(z, 0).backward(tensor(new Float64Array(12).fill(1), [3, 4]));
    expect(z.grad!.toArray()).toEqual(new Array(12).fill(0));
    expect(() => pow(z, Number.NaN)).toThrow(ValueError);
  });

  it('kinked ops away from their kinks, and their subgradients at the kink', () => {
    for (const f of [relu, abs]) expectGradOk((a) => f(a!), [awayFromZero()]);
    expectGradOk((a) => clamp(a!, -0.1, 0.15), [awayFromZero()]);
    const z = tensor([0, -1, 1], undefined, f64);
    relu(z).backward(tensor([1, 1, 1], undefined, { dtype: 'float64' }));
    expect(z.grad!.toArray()).toEqual([0, 0, 1]);
    z.grad = null;
    abs(z).backward(tensor([1, 1, 1], undefined, { dtype: 'float64' }));
    expect(z.grad!.toArray()).toEqual([0, -1, 1]);
  });

  it('clamp passes the gradient at the bounds (inclusive) and blocks it outside', () => {
    const z = tensor([-2, -1, 0, 1, 2], undefined, f64);
    clamp(z, -1, 1).backward(tensor([1, 1, 1, 1, 1], undefined, { dtype: 'float64' }));
    expect(z.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });
});
