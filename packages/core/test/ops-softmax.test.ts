import { describe, expect, it } from 'vitest';
import { randn, tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ValueError } from '../src/errors.js';
import { logSoftmax, logsumexp, softmax } from '../src/ops/softmax.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };
const NEG_INF = Number.NEGATIVE_INFINITY;

function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  expect(r.ok, `max error ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`).toBe(true);
}

function close(got: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  expect(got.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const v = got[i]!;
    if (!Number.isFinite(e)) expect(v, `element ${i}`).toBe(e);
    else
      expect(Math.abs(v - e), `element ${i}: got ${v}, expected ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e)),
      );
  });
}

describe('softmax family: values', () => {
  it('softmax, logSoftmax and logsumexp of a small row', () => {
    const x = tensor([[1, 2, 3]], undefined, { dtype: 'float64' });
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    close(softmax(x).data, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z]);
    close(logSoftmax(x).data, [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)]);
    const l = logsumexp(x);
    expect(l.shape).toEqual([1]);
    close(l.data, [Math.log(z)]);
    expect(logsumexp(x, -1, true).shape).toEqual([1, 1]);
    expect(softmax(tensor(4)).item()).toBe(1);
    expect(logsumexp(tensor(4), 0).item()).toBe(4);
  });

  it('work along any axis, rows summing to 1', () => {
    const x = randn([2, 3, 4], { dtype: 'float64', generator: new Generator(1) });
    for (const axis of [0, 1, 2, -2]) {
      const y = softmax(x, axis);
      const ly = logSoftmax(x, axis);
      const a = axis < 0 ? axis + 3 : axis;
      const stride = [12, 4, 1][a]!;
      const n = x.shape[a]!;
      // Check each row: sum 1, log agreement, and logsumexp consistency.
      const lse = logsumexp(x, axis, true);
      for (let start = 0; start < 24; start++) {
        if (Math.floor(start / stride) % n !== 0) continue;
        let s = 0;
        for (let r = 0; r < n; r++) s += y.data[start + r * stride]!;
        expect(Math.abs(s - 1)).toBeLessThan(1e-14);
      }
      for (let i = 0; i < 24; i++) expect(Math.abs(Math.log(y.data[i]!) - ly.data[i]!)).toBeLessThan(1e-13);
      expect(lse.shape).toEqual(x.shape.map((d, i) => (i === a ? 1 : d)));
    }
    close(logsumexp(x, 1).data, logsumexp(x, -2).toArray(), 0);
  });

  it('reject an out-of-range axis', () => {
    expect(() => softmax(tensor([[1, 2]]), 2)).toThrow(ValueError);
    expect(() => logsumexp(tensor([[1, 2]]), -3)).toThrow(/axis -3 is out of range/);
  });
});

describe('softmax family: numerical stability', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`is exact at ±1000 (${dtype})`, () => {
      const x = tensor([[1000, -1000, 0, 3]], undefined, { dtype });
      close(softmax(x).data, [1, 0, 0, 0]);
      close(logSoftmax(x).data, [0, -2000, -1000, -997]);
      close(logsumexp(x).data, [1000]);
      const y = tensor([[-1000, -1000]], undefined, { dtype });
      close(softmax(y).data, [0.5, 0.5]);
      close(logsumexp(y).data, [-1000 + Math.LN2], 1e-7);
    });

    it(`handles −Infinity (masked) entries (${dtype})`, () => {
      const x = tensor(
        [
          [0, NEG_INF, 0],
          [5, NEG_INF, NEG_INF],
        ],
        undefined,
        { dtype, requiresGrad: true },
      );
      close(softmax(x).data, [0.5, 0, 0.5, 1, 0, 0]);
      close(logSoftmax(x).data, [-Math.LN2, NEG_INF, -Math.LN2, 0, NEG_INF, NEG_INF], 1e-7);
      close(logsumexp(x).data, [Math.LN2, 5], 1e-7);
      // Gradients stay finite and are 0 at masked positions.
      for (const f of [softmax, logsumexp]) {
        x.grad = null;
        const out = f(x);
        out.backward(tensor(new Array<number>(out.size).fill(1), out.shape, { dtype }));
        expect(x.grad!.toArray().every(Number.isFinite)).toBe(true);
        expect([x.grad!.data[1], x.grad!.data[4], x.grad!.data[5]]).toEqual([0, 0, 0]);
      }
    });
  }

  it('a fully masked row gives −∞ for logsumexp and NaN for softmax, as in PyTorch', () => {
    const x = tensor([
      [NEG_INF, NEG_INF],
      [1, 2],
    ]);
    expect(logsumexp(x).data[0]).toBe(NEG_INF);
    expect(softmax(x).toArray().slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(softmax(x).toArray().slice(2).every(Number.isFinite)).toBe(true);
    expect(logsumexp(tensor([1, Number.POSITIVE_INFINITY])).item()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('softmax family: gradients (float64 gradcheck)', () => {
  const g = new Generator(2);
  it('every axis, keepdim, and large inputs', () => {
    for (const axis of [-1, 0, 1]) {
      const x = randn([3, 4, 2], { ...f64, generator: g });
      expectGradOk((a) => softmax(a!, axis), [x]);
      expectGradOk((a) => logSoftmax(a!, axis), [x]);
      expectGradOk((a) => logsumexp(a!, axis), [x]);
      expectGradOk((a) => logsumexp(a!, axis, true), [x]);
    }
    const big = tensor(
      [
        [50, 52, 49],
        [-40, -41, -39],
      ],
      undefined,
      f64,
    );
    expectGradOk((a) => softmax(a!), [big]);
    expectGradOk((a) => logSoftmax(a!), [big]);
  });
});
