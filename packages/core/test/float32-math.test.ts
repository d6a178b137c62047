import { describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';
import { expNegF32, sigmoidF32, tanhF32 } from '../src/kernels/recurrent/float32-math.js';

const f = Math.fround;

/** The float32 ulp at |v| (subnormal spacing below the smallest normal). */
function ulp(v: number): number {
  const a = f(Math.abs(v));
  if (a < 2 ** -126) return 2 ** -149;
  const e = Math.floor(Math.log2(a));
  return 2 ** ((f(2 ** e) > a ? e - 1 : e) - 23);
}

const sigmoid64 = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

describe('float32 gate math (the LSTM kernels, TS and wasm)', () => {
  it('is within 1 ulp (exp), 2.5 ulp (σ) and 1.5 ulp (tanh) of the exact value over magnitudes 1e-9 … 100', () => {
    const g = new Generator(11);
    const worst = { exp: 0, sigmoid: 0, tanh: 0 };
    for (let i = 0; i < 200_000; i++) {
      const x = f((g.random() < 0.5 ? -1 : 1) * 10 ** (-9 + 11 * g.random()));
      if (x <= 0 && x >= -86) worst.exp = Math.max(worst.exp, Math.abs(expNegF32(x) - Math.exp(x)) / ulp(Math.exp(x)));
      if (Math.abs(x) < 80)
        worst.sigmoid = Math.max(worst.sigmoid, Math.abs(sigmoidF32(x) - sigmoid64(x)) / ulp(sigmoid64(x)));
      worst.tanh = Math.max(worst.tanh, Math.abs(tanhF32(x) - Math.tanh(x)) / ulp(Math.tanh(x)));
    }
    expect(worst.exp).toBeLessThanOrEqual(1);
    expect(worst.sigmoid).toBeLessThanOrEqual(2.5);
    expect(worst.tanh).toBeLessThanOrEqual(1.5);
    // and the measurement can fail: the float64 functions rounded once are not this far off
    expect(worst.sigmoid).toBeGreaterThan(0.4);
  });

  it('handles signed zeros, saturation, infinities and NaN', () => {
    expect(sigmoidF32(0)).toBe(0.5);
    expect(sigmoidF32(-0)).toBe(0.5);
    expect(Object.is(tanhF32(-0), -0)).toBe(true);
    expect(Object.is(tanhF32(0), 0)).toBe(true);
    expect(sigmoidF32(Infinity)).toBe(1);
    expect(sigmoidF32(-Infinity)).toBe(0);
    expect(sigmoidF32(-200)).toBe(0);
    expect(sigmoidF32(-80)).toBeCloseTo(Math.exp(-80), 40);
    expect(tanhF32(Infinity)).toBe(1);
    expect(tanhF32(-Infinity)).toBe(-1);
    expect(tanhF32(f(3e38))).toBe(1);
    expect(tanhF32(20)).toBe(1);
    expect(expNegF32(0)).toBe(1);
    expect(expNegF32(-100)).toBe(0);
    expect(Number.isNaN(sigmoidF32(NaN))).toBe(true);
    expect(Number.isNaN(tanhF32(NaN))).toBe(true);
    // the small-argument branch keeps relative accuracy where 1 − e would cancel
    expect(Math.abs(tanhF32(f(1e-6)) - f(1e-6)) / f(1e-6)).toBeLessThan(2 ** -23);
  });

  it('returns float32 values', () => {
    for (const x of [0.1, -0.3, 0.7, 1.7, -2.9, 9]) {
      const v = f(x);
      expect(f(sigmoidF32(v))).toBe(sigmoidF32(v));
      expect(f(tanhF32(v))).toBe(tanhF32(v));
    }
  });
});
