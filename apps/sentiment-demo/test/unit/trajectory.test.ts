import { describe, expect, it } from 'vitest';
import { downsample, linePath, xOf, yOf } from '../../lib/trajectory';

const area = { left: 10, top: 0, width: 100, height: 50 };

describe('downsample', () => {
  it('keeps every point when they fit', () => {
    expect(downsample([0.2, 0.9], 10)).toEqual([
      { index: 0, value: 0.2 },
      { index: 1, value: 0.9 },
    ]);
  });

  it('keeps the minimum and maximum of each bucket, in position order', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i === 337 ? 1 : i === 338 ? 0 : 0.5));
    const out = downsample(values, 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.some((s) => s.index === 337 && s.value === 1)).toBe(true);
    expect(out.some((s) => s.index === 338 && s.value === 0)).toBe(true);
    expect(out.every((s, i) => i === 0 || s.index > out[i - 1]!.index)).toBe(true);
  });

  it('rejects a useless point budget', () => {
    expect(() => downsample([1, 2, 3], 1)).toThrow(RangeError);
  });
});

describe('chart geometry', () => {
  it('maps positions across the width and probabilities from bottom (0) to top (1)', () => {
    expect(xOf(0, 5, area)).toBe(10);
    expect(xOf(4, 5, area)).toBe(110);
    expect(xOf(0, 1, area)).toBe(60);
    expect(yOf(1, area)).toBe(0);
    expect(yOf(0, area)).toBe(50);
    expect(yOf(1.7, area)).toBe(0);
  });

  it('draws a path through the samples', () => {
    expect(linePath([{ index: 0, value: 0.5 }, { index: 1, value: 1 }], 2, area)).toBe('M10.0 25.0 L110.0 0.0');
  });
});
