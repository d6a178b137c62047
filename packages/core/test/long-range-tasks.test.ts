import { describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';
import { addingProblem, copyTask, longRangeTask } from '../src/diagnostics/long-range-tasks.js';
import { ValueError } from '../src/errors.js';
import type { Tensor } from '../src/tensor/tensor.js';

describe('adding problem', () => {
  const task = addingProblem({ length: 20 });

  it('marks exactly two steps, one in each half, and the target is the sum of their numbers', () => {
    const B = 50;
    const { x, target } = task.batch(new Generator(3), B);
    expect(x.shape).toEqual([20, B, 2]);
    const y = (target as Tensor).data;
    for (let b = 0; b < B; b++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < 20; t++) {
        const value = x.data[(t * B + b) * 2] ?? Number.NaN;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        if (x.data[(t * B + b) * 2 + 1] === 1) {
          marked.push(t);
          sum += value;
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(10);
      expect(marked[1]).toBeGreaterThanOrEqual(10);
      expect(y[b]).toBeCloseTo(sum, 6);
    }
  });

  it('is seeded: the same generator state gives the same batch', () => {
    const a = task.batch(new Generator(7), 4);
    const b = task.batch(new Generator(7), 4);
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
  });

  it('the input-blind baseline (always predict 1) has MSE near 1/6', () => {
    const { target } = task.batch(new Generator(1), 20_000);
    const y = (target as Tensor).data;
    let mse = 0;
    for (const v of y) mse += (v - 1) ** 2;
    expect(mse / y.length).toBeCloseTo(task.baselineLoss, 2);
  });
});

describe('copy task', () => {
  const task = copyTask({ length: 15, copyLength: 4, symbols: 5 });

  it('shows the symbols, waits, shows the delimiter, and asks for the symbols back in order', () => {
    const B = 3;
    const { x, target } = task.batch(new Generator(5), B);
    expect(task.steps).toBe(15 + 8);
    expect(x.shape).toEqual([23, B, 7]);
    const y = target as Int32Array;
    const inputAt = (t: number, b: number) => {
      const row = Array.from(x.data.subarray((t * B + b) * 7, (t * B + b + 1) * 7));
      expect(row.reduce((a, v) => a + v, 0)).toBe(1);
      return row.indexOf(1);
    };
    for (let b = 0; b < B; b++) {
      const shown = [0, 1, 2, 3].map((t) => inputAt(t, b));
      for (const s of shown) expect(s).toBeGreaterThanOrEqual(1);
      for (let t = 4; t < 18; t++) expect(inputAt(t, b)).toBe(0);
      expect(inputAt(18, b)).toBe(6);
      const asked = [19, 20, 21, 22].map((t) => y[t * B + b]);
      expect(asked).toEqual(shown);
      for (let t = 0; t < 19; t++) expect(y[t * B + b]).toBe(0);
    }
  });

  it('states the input-blind baseline: copyLength · ln K over all steps', () => {
    expect(task.baselineLoss).toBeCloseTo((4 * Math.log(5)) / 23, 12);
    expect(task.solvedBelow).toBeCloseTo(task.baselineLoss / 10, 12);
  });
});

describe('task options', () => {
  it('reject bad lengths and names with a clear error', () => {
    expect(() => addingProblem({ length: 1 })).toThrow(/length must be an integer in 2\.\.100000, got 1/);
    expect(() => copyTask({ length: 2.5 })).toThrow(ValueError);
    expect(() => copyTask({ length: 10, symbols: 1 })).toThrow(/symbols must be in 2\.\.1000/);
    // @ts-expect-error an unknown task name
    expect(() => longRangeTask('sorting', { length: 10 })).toThrow(/unknown task 'sorting'/);
  });
});
