import { describe, expect, it } from 'vitest';
import { add, div, gradcheck, linear, matmul, mul, randn, sub, tensor, Generator, ShapeError } from '../src/index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('foundation', () => {
  it('broadcasts add and reports shape errors with both shapes', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([10, 20, 30]);
    expect(add(a, b).toArray()).toEqual([11, 22, 33, 14, 25, 36]);
    expect(() => add(a, tensor([1, 2]))).toThrow(ShapeError);
    expect(() => add(a, tensor([1, 2]))).toThrow(/\[2, 3\] and \[2\]/);
  });

  it('accumulates gradients through a diamond graph', () => {
    const x = tensor([2], [1], { requiresGrad: true });
    const y = mul(x, x); // x^2
    const z = add(y, mul(y, 3)); // 4x^2
    z.backward(tensor([1], [1]));
    expect(x.grad!.toArray()).toEqual([16]);
  });

  it('sums many gradients of one intermediate in place without touching a gradient a backward passed on', () => {
    // h is used five times; add(h, h) hands the same gradient tensor to both of its inputs, and the seed reaches
    // s through add's pass-through backward: the engine's in-place sum must leave both of those alone
    const x = tensor([1, 2, 3], [3], { dtype: 'float64', requiresGrad: true });
    const h = mul(x, 2);
    const s = add(add(h, h), add(mul(h, 3), add(h, mul(h, h))));
    const seed = tensor([1, 10, 100], [3], { dtype: 'float64' });
    s.backward(seed);
    // s = 2h + 3h + h + h² → ds/dh = 6 + 2h, ds/dx = 2·(6 + 2h) = 12 + 8x
    expect(x.grad!.toArray()).toEqual([20, 10 * 28, 100 * 36]);
    expect(seed.toArray()).toEqual([1, 10, 100]);
  });

  it('finite-difference checks arithmetic, matmul and linear in float64', () => {
    const g = new Generator(3);
    const a = randn([3, 4], { ...f64, generator: g });
    const b = randn([4], { ...f64, generator: g });
    const c = randn([2, 1, 4], { ...f64, generator: g });
    for (const f of [add, sub, mul, div]) {
      expect(gradcheck((p, q) => f(p!, q!), [a, b]).ok).toBe(true);
      expect(gradcheck((p, q) => f(p!, q!), [a, c]).ok).toBe(true);
    }
    const w = randn([4, 5], { ...f64, generator: g });
    const bw = randn([2, 4, 5], { ...f64, generator: g });
    expect(gradcheck((p, q) => matmul(p!, q!), [a, w]).ok).toBe(true);
    expect(gradcheck((p, q) => matmul(p!, q!), [c, w]).ok).toBe(true);
    const d = randn([2, 3, 4], { ...f64, generator: g });
    expect(gradcheck((p, q) => matmul(p!, q!), [d, bw]).ok).toBe(true);
    const W = randn([6, 4], { ...f64, generator: g });
    const bias = randn([6], { ...f64, generator: g });
    expect(gradcheck((p, q, r) => linear(p!, q!, r!), [d, W, bias]).ok).toBe(true);
  });

  it('seeded generator repeats', () => {
    const a = new Generator(42);
    const b = new Generator(42);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
    b.setState(a.getState());
    expect(b.normal()).toBe(a.normal());
  });

  it('draws the xoshiro128** sequence it always drew (saved seeds and checkpoints replay the same numbers)', () => {
    // values of the implementation that kept its state in four number fields, before the Uint32Array state
    const g = new Generator(1234);
    expect(Array.from({ length: 4 }, () => g.nextUint32())).toEqual([1927626933, 2777857285, 1362201715, 1134824276]);
    expect(g.random()).toBe(0.27170484004337236);
    for (let i = 0; i < 99995; i++) g.nextUint32();
    expect(g.nextUint32()).toBe(3453731392);
    expect(g.getState().slice(0, 4)).toEqual([1194487457, 1684742103, 2250103383, 4192664410]);
  });
});
