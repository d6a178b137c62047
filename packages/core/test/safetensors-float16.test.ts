import { describe, expect, it } from 'vitest';
import { float16Bits } from '../src/io/float16.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';
import { Tensor } from '../src/tensor/tensor.js';

describe('half-precision safetensors storage', () => {
  it('float16Bits rounds to nearest even, with subnormals, overflow and NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next binade rounds up to infinity
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // halfway, ties to even (0)
      [3 * 2 ** -25, 0x0002], // 1.5 ulp → 2
      [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02], // tie → even (up)
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
    ];
    for (const [x, bits] of cases) expect(float16Bits(x), String(x)).toBe(bits);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(Number.NaN) & 0x3ff).not.toBe(0);
  });

  it('float16 safetensors decode back to the rounded values; beyond ±65504 is an error', () => {
    const t = new Tensor(Float32Array.from([0.1, -Math.PI, 1e-6, 1000.5, 0]), [5]);
    const decoded = decodeSafetensors(encodeSafetensors({ w: t }, null, { storage: 'F16' }));
    expect(decoded.dtypes.w).toBe('F16');
    const back = Array.from(decoded.tensors.w!.data);
    expect(back[0]).toBeCloseTo(0.0999755859375, 12);
    expect(back[1]).toBeCloseTo(-3.140625, 12);
    expect(Math.abs(back[2]! - 1e-6)).toBeLessThan(3e-8);
    expect(back[3]).toBe(1000.5);
    expect(() =>
      encodeSafetensors({ big: new Tensor(Float32Array.from([1e5]), [1]) }, null, { storage: 'F16' }),
    ).toThrow(/big.*65504/);
  });
});
