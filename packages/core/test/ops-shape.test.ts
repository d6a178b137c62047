import { describe, expect, it } from 'vitest';
import { arange, randn, tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { mul } from '../src/ops/arithmetic.js';
import {
  broadcastTo,
  cat,
  chunk,
  expand,
  flatten,
  narrow,
  permute,
  repeat,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  transpose,
  unsqueeze,
  view,
} from '../src/ops/shape.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function expectGradOk(fn: (...t: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  expect(r.ok, `max error ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`).toBe(true);
}

const iota = (...shape: number[]): Tensor => reshape(arange(shape.reduce((p, q) => p * q, 1)), shape);

describe('reshape-like ops share storage', () => {
  it('reshape/view infer −1 and keep the same buffer', () => {
    const x = iota(2, 3, 4);
    const r = reshape(x, [4, -1]);
    expect(r.shape).toEqual([4, 6]);
    expect(r.data).toBe(x.data);
    expect(view(x, [-1]).shape).toEqual([24]);
    expect(reshape(tensor(3), [1, 1]).shape).toEqual([1, 1]);
    expect(reshape(tensor([], [0, 3]), [-1, 3]).shape).toEqual([0, 3]);
  });

  it('reshape errors show both shapes', () => {
    const x = iota(2, 3);
    expect(() => reshape(x, [4, 2])).toThrow(ShapeError);
    expect(() => reshape(x, [4, 2])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) into \[4, 2\] \(8 elements\)/);
    expect(() => reshape(x, [4, -1])).toThrow(/\[2, 3\].*\[4, -1\]/);
    expect(() => reshape(x, [-1, -1])).toThrow(/only one dimension can be -1/);
  });

  it('flatten, squeeze, unsqueeze', () => {
    const x = iota(2, 1, 3, 1);
    expect(flatten(x).shape).toEqual([6]);
    expect(flatten(x, 1).shape).toEqual([2, 3]);
    expect(flatten(x, 0, 1).shape).toEqual([2, 3, 1]);
    expect(flatten(x, -2, -1).shape).toEqual([2, 1, 3]);
    expect(flatten(tensor(7)).shape).toEqual([1]);
    expect(() => flatten(x, 2, 1)).toThrow(ValueError);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 1).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, [-1, 1]).shape).toEqual([2, 3]);
    expect(squeeze(x, 0).shape).toEqual([2, 1, 3, 1]);
    expect(unsqueeze(iota(2, 3), 0).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(iota(2, 3), -1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(iota(2, 3), 1).shape).toEqual([2, 1, 3]);
    expect(() => unsqueeze(iota(2, 3), 4)).toThrow(/out of range/);
    expect(squeeze(x).data).toBe(x.data);
    expect(squeeze(tensor(1), -1).shape).toEqual([]);
    expect(transpose(tensor(1), 0, -1).shape).toEqual([]);
  });

  it('gradients flow through reshapes', () => {
    const x = randn([2, 3, 2], { ...f64, generator: new Generator(1) });
    expectGradOk((a) => mul(reshape(a!, [3, -1]), reshape(a!, [3, 4])), [x]);
    expectGradOk((a) => unsqueeze(squeeze(flatten(a!, 1), 0), -1), [x]);
  });
});

describe('permute and transpose', () => {
  it('values', () => {
    const x = iota(2, 3);
    const t = transpose(x, 0, 1);
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    const c = iota(2, 3, 4);
    const p = permute(c, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k][i][j] = c[i][j][k] = 12i + 4j + k
    expect(p.toArray().slice(0, 7)).toEqual([0, 4, 8, 12, 16, 20, 1]);
    expect(transpose(c, -1, 0).shape).toEqual([4, 3, 2]);
    expect(permute(c, [0, 1, 2]).toArray()).toEqual(c.toArray());
  });

  it('errors', () => {
    expect(() => permute(iota(2, 3), [0])).toThrow(/expected 2 dimensions for input \[2, 3\], got 1/);
    expect(() => permute(iota(2, 3), [1, 1])).toThrow(/repeats/);
  });

  it('gradcheck', () => {
    const x = randn([2, 3, 4], { ...f64, generator: new Generator(2) });
    expectGradOk((a) => permute(a!, [2, 0, 1]), [x]);
    expectGradOk((a) => permute(a!, [1, 2, 0]), [x]);
    expectGradOk((a) => transpose(a!, 0, -1), [x]);
  });
});

describe('cat, stack, split, chunk', () => {
  it('cat values along first, middle and last axes', () => {
    const a = iota(2, 2);
    const b = tensor([[10, 11]]);
    expect(cat([a, b]).toArray()).toEqual([0, 1, 2, 3, 10, 11]);
    expect(cat([a, tensor([[7], [8]])], 1).toArray()).toEqual([0, 1, 7, 2, 3, 8]);
    expect(cat([a, tensor([[7], [8]])], -1).shape).toEqual([2, 3]);
    const m = cat([iota(2, 1, 2), iota(2, 2, 2)], 1);
    expect(m.shape).toEqual([2, 3, 2]);
    expect(m.toArray()).toEqual([0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 6, 7]);
    expect(cat([a, b.withData(new Float64Array([1, 2]), [1, 2])]).dtype).toBe('float64');
  });

  it('cat copies short and long chunks alike (an image plus one zero column, mixed dtypes)', () => {
    // [2, 3, 5, 70] ++ [2, 3, 5, 1] along the last axis: 70-element chunks go through set, 1-element ones a loop
    const x = randn([2, 3, 5, 70]);
    const z = randn([2, 3, 5, 1], { dtype: 'float64' });
    const y = cat([x, z], 3);
    expect(y.shape).toEqual([2, 3, 5, 71]);
    expect(y.dtype).toBe('float64');
    for (let r = 0; r < 30; r++) {
      for (let j = 0; j < 70; j++) expect(y.data[r * 71 + j]).toBe(x.data[r * 70 + j]);
      expect(y.data[r * 71 + 70]).toBe(z.data[r]);
    }
    const wide = randn([4, 70]);
    const rows = cat([randn([4, 3]), wide], 1);
    expect(rows.shape).toEqual([4, 73]);
    for (let r = 0; r < 4; r++)
      for (let j = 0; j < 70; j++) expect(rows.data[r * 73 + 3 + j]).toBe(wide.data[r * 70 + j]);
  });

  it('cat errors show the expected and the got shape', () => {
    expect(() => cat([iota(2, 3), iota(2, 4)])).toThrow(ShapeError);
    expect(() => cat([iota(2, 3), iota(2, 4)])).toThrow(/expected tensor 1 to have shape \[\*, 3\], got \[2, 4\]/);
    expect(() => cat([])).toThrow(ValueError);
  });

  it('stack', () => {
    const s = stack([tensor([1, 2]), tensor([3, 4])]);
    expect(s.shape).toEqual([2, 2]);
    expect(s.toArray()).toEqual([1, 2, 3, 4]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([1, 3, 2, 4]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).shape).toEqual([2, 2]);
    expect(() => stack([tensor([1, 2]), tensor([3])])).toThrow(/expected tensor 1 to have shape \[2\], got \[1\]/);
  });

  it('split by size and by sizes; chunk', () => {
    const x = iota(5, 2);
    const parts = split(x, 2);
    expect(parts.map((p) => p.shape)).toEqual([
      [2, 2],
      [2, 2],
      [1, 2],
    ]);
    expect(parts[2]!.toArray()).toEqual([8, 9]);
    const cols = split(iota(2, 3), [1, 2], 1);
    expect(cols[0]!.toArray()).toEqual([0, 3]);
    expect(cols[1]!.toArray()).toEqual([1, 2, 4, 5]);
    expect(() => split(x, [2, 2])).toThrow(/add up to 4, expected the length of axis 0: 5/);
    expect(() => split(x, 0)).toThrow(ValueError);
    expect(chunk(x, 2).map((p) => p.shape[0])).toEqual([3, 2]);
    expect(chunk(iota(6), 4).map((p) => p.size)).toEqual([2, 2, 2]);
    expect(() => chunk(x, 0)).toThrow(ValueError);
  });

  it('gradcheck: cat (one input without grad), stack, split, chunk', () => {
    const g = new Generator(3);
    const a = randn([2, 3], { ...f64, generator: g });
    const b = randn([2, 1], { ...f64, generator: g });
    const c = randn([2, 2], { dtype: 'float64', generator: g });
    expectGradOk((p, q) => cat([p!, q!, c], 1), [a, b]);
    expectGradOk((p) => cat([p!, p!], 0), [a]);
    const d = randn([2, 3], { ...f64, generator: g });
    expectGradOk((p, q) => stack([p!, q!], 1), [a, d]);
    const x = randn([5, 3], { ...f64, generator: g });
    expectGradOk((p) => split(p!, 2), [x]);
    expectGradOk((p) => split(p!, [1, 2], -1), [x]);
    // Only one piece used: the others get zero gradient.
    expectGradOk((p) => split(p!, 2)[1]!, [x]);
    expectGradOk((p) => chunk(p!, 3, 1), [x]);
  });
});

describe('slice and narrow', () => {
  it('python slice semantics', () => {
    const x = iota(6);
    expect(slice(x, 0, 1, 4).toArray()).toEqual([1, 2, 3]);
    expect(slice(x, 0, 1, null, 2).toArray()).toEqual([1, 3, 5]);
    expect(slice(x, 0, -2).toArray()).toEqual([4, 5]);
    expect(slice(x, 0, undefined, -1).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(slice(x, 0, 4, 2).toArray()).toEqual([]);
    expect(slice(x, 0, -100, 100, 4).toArray()).toEqual([0, 4]);
    const m = iota(3, 4);
    expect(slice(m, 1, 1, 3).toArray()).toEqual([1, 2, 5, 6, 9, 10]);
    expect(slice(m, -1, 0, 4, 3).shape).toEqual([3, 2]);
    expect(() => slice(m, 0, 0, 2, 0)).toThrow(/step must be a positive integer/);
    expect(narrow(m, 0, 1, 2).toArray()).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(narrow(m, 1, -1, 1).toArray()).toEqual([3, 7, 11]);
    expect(() => narrow(m, 1, 3, 2)).toThrow(/start 3 and length 2 do not fit axis 1 of size 4/);
  });

  it('gradcheck', () => {
    const x = randn([3, 5], { ...f64, generator: new Generator(4) });
    expectGradOk((p) => slice(p!, 1, 1, 5, 2), [x]);
    expectGradOk((p) => slice(p!, 0, -2), [x]);
    expectGradOk((p) => narrow(p!, -1, 2, 3), [x]);
  });
});

describe('expand and repeat', () => {
  it('expand values and rules', () => {
    const x = tensor([[1], [2]]);
    const e = expand(x, [2, 3]);
    expect(e.toArray()).toEqual([1, 1, 1, 2, 2, 2]);
    expect(expand(x, [2, 2, -1]).shape).toEqual([2, 2, 1]);
    expect(broadcastTo(tensor([1, 2]), [2, 2]).toArray()).toEqual([1, 2, 1, 2]);
    expect(() => expand(x, [3, 3])).toThrow(/cannot expand \[2, 1\] to \[3, 3\]/);
    expect(() => expand(x, [3])).toThrow(/fewer dimensions/);
    expect(() => expand(x, [-1, 2, 1])).toThrow(/-1 is not allowed for a new leading dimension/);
  });

  it('repeat values', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(repeat(x, [1, 2]).toArray()).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    expect(repeat(x, [2, 1]).toArray()).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    const r = repeat(tensor([1, 2]), [2, 2]);
    expect(r.shape).toEqual([2, 4]);
    expect(r.toArray()).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(repeat(x, [2, 0]).shape).toEqual([4, 0]);
    expect(() => repeat(x, [2])).toThrow(/at least 2 repeat counts/);
  });

  it('gradcheck', () => {
    const g = new Generator(5);
    expectGradOk((p) => expand(p!, [2, 3, 4]), [randn([3, 1], { ...f64, generator: g })]);
    expectGradOk((p) => repeat(p!, [2, 1, 3]), [randn([2, 2], { ...f64, generator: g })]);
  });
});
