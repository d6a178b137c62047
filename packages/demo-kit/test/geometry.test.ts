import { describe, expect, it } from 'vitest';
import { downsample, extent, indexAt, linePath, niceTicks, xOf, yOf } from '../src/charts/geometry';

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
    expect(
      linePath(
        [
          { index: 0, value: 0.5 },
          { index: 1, value: 1 },
        ],
        2,
        area,
      ),
    ).toBe('M10.0 25.0 L110.0 0.0');
  });
});

describe('value scales', () => {
  it('maps any domain onto the area (a loss curve: low at the bottom) and clamps outside it', () => {
    expect(yOf(2, area, [2, 4])).toBe(50);
    expect(yOf(4, area, [2, 4])).toBe(0);
    expect(yOf(3, area, [2, 4])).toBe(25);
    expect(yOf(-10, area, [2, 4])).toBe(50);
    expect(yOf(7, area, [7, 7]), 'a flat domain puts its value in the middle').toBe(25);
    expect(linePath([{ index: 0, value: 3 }], 1, area, [2, 4])).toBe('M60.0 25.0');
  });

  it('finds the extent over several series, skipping NaN and infinities', () => {
    expect(
      extent([
        [3, Number.NaN, 1],
        [2, 5, Number.POSITIVE_INFINITY],
      ]),
    ).toEqual([1, 5]);
    expect(extent([[], [Number.NaN]])).toEqual([0, 1]);
  });

  it('chooses round ticks that cover the data', () => {
    expect(niceTicks(0, 1, 5)).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    const loss = niceTicks(1.43, 4.17, 5);
    expect(loss.ticks).toEqual([1, 2, 3, 4, 5]);
    expect(loss.domain).toEqual([1, 5]);
    expect(niceTicks(0.0012, 0.0087, 4).ticks).toEqual([0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    expect(niceTicks(2, 2).domain[0]).toBeLessThan(2);
    expect(niceTicks(2, 2).domain[1]).toBeGreaterThan(2);
    expect(() => niceTicks(3, 1)).toThrow(RangeError);
  });

  it('gives the nearest position under the pointer', () => {
    expect(indexAt(10, 5, area)).toBe(0);
    expect(indexAt(36, 5, area)).toBe(1);
    expect(indexAt(500, 5, area)).toBe(4);
    expect(indexAt(-3, 5, area)).toBe(0);
    expect(indexAt(50, 1, area)).toBe(0);
  });

  it('downsampling leaves out gaps (NaN) in short and long series', () => {
    expect(downsample([0.1, Number.NaN, 0.3], 10).map((s) => s.index)).toEqual([0, 2]);
    const long = Array.from({ length: 100 }, (_, i) => (i < 50 ? Number.NaN : i));
    const out = downsample(long, 10);
    expect(out.every((s) => Number.isFinite(s.value) && s.index >= 50)).toBe(true);
  });
});
