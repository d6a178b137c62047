import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../src/tensor/tensor.js';
import { randn, tensor } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { findReferenceDir } from '../src/io/paths.js';
import { runCase } from '../src/parity/runner.js';
import '../src/parity/handlers/losses.js';
import { crossEntropy } from '../src/losses/cross-entropy.js';
import { nllLoss } from '../src/losses/nll.js';
import { bceWithLogits } from '../src/losses/bce.js';
import { mseLoss } from '../src/losses/mse.js';
import { CrossEntropyLoss, MSELoss } from '../src/nn/losses.js';
import type { Reduction } from '../src/losses/targets.js';

const f64 = (shape: number[], g: Generator, requiresGrad = true): Tensor =>
  randn(shape, { dtype: 'float64', generator: g, requiresGrad });

/** A tensor [..., C] as rows of C numbers. */
function rowsOf(x: Tensor): number[][] {
  const C = x.shape[x.ndim - 1]!;
  return Array.from({ length: x.size / C }, (_, i) => Array.from(x.data.subarray(i * C, (i + 1) * C)));
}

/** Straightforward PyTorch-formula cross-entropy for one configuration, written independently of the op. */
function naiveCrossEntropy(
  z: number[][],
  y: number[],
  eps: number,
  ignore: number,
  w: number[] | null,
  reduction: Reduction,
): number | number[] {
  const C = z[0]!.length;
  const per: number[] = [];
  let denom = 0;
  z.forEach((row, i) => {
    if (y[i] === ignore) {
      per.push(0);
      return;
    }
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const logp = row.map((v) => v - lse);
    const wc = (c: number): number => (w ? w[c]! : 1);
    const nll = -wc(y[i]!) * logp[y[i]!]!;
    const smooth = -logp.reduce((s, v, c) => s + wc(c) * v, 0);
    per.push((1 - eps) * nll + (eps / C) * smooth);
    denom += wc(y[i]!);
  });
  if (reduction === 'none') return per;
  const total = per.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? total : total / denom;
}

describe('crossEntropy', () => {
  const g = new Generator(7);
  const logits = f64([5, 4], g);
  const targets = [1, 3, -100, 0, 2];
  const rows = rowsOf(logits);

  it('matches the PyTorch formula for every reduction, smoothing, weight and ignoreIndex', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const eps of [0, 0.1, 0.3]) {
        for (const w of [null, [0.5, 2, 1, 3]]) {
          const got = crossEntropy(logits, targets, { reduction, labelSmoothing: eps, weight: w });
          const want = naiveCrossEntropy(rows, targets, eps, -100, w, reduction);
          const values = reduction === 'none' ? got.toArray() : [got.item()];
          const expected = Array.isArray(want) ? want : [want];
          values.forEach((v, i) => {
            expect(v).toBeCloseTo(expected[i]!, 12);
          });
          if (reduction === 'none') expect(got.shape).toEqual([5]);
        }
      }
    }
  });

  it('passes gradcheck in float64 for every option combination', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const eps of [0, 0.2]) {
        for (const weight of [undefined, tensor([0.5, 2, 1, 3], [4], { dtype: 'float64' })]) {
          const r = gradcheck((x) => crossEntropy(x!, targets, { reduction, labelSmoothing: eps, weight }), [logits]);
          expect(r.ok, `${reduction} ε=${eps} weight=${!!weight}: ${JSON.stringify(r.worst)}`).toBe(true);
        }
      }
    }
  });

  it('handles [B, T, C] logits with [B, T] tensor or nested-array targets and a custom ignoreIndex', () => {
    const x = f64([2, 3, 5], new Generator(3));
    const nested = [
      [0, 4, 7],
      [2, 7, 1],
    ];
    const flat = new Int32Array([0, 4, 7, 2, 7, 1]);
    const a = crossEntropy(x, nested, { ignoreIndex: 7, labelSmoothing: 0.1 });
    const b = crossEntropy(x, tensor(nested, undefined, { dtype: 'float64' }), { ignoreIndex: 7, labelSmoothing: 0.1 });
    const c = crossEntropy(x, flat, { ignoreIndex: 7, labelSmoothing: 0.1 });
    expect(b.item()).toBe(a.item());
    expect(c.item()).toBe(a.item());
    const want = naiveCrossEntropy(rowsOf(x), [...flat], 0.1, 7, null, 'mean');
    expect(a.item()).toBeCloseTo(want as number, 12);
    expect(crossEntropy(x, nested, { ignoreIndex: 7, reduction: 'none' }).shape).toEqual([2, 3]);
    expect(gradcheck((t) => crossEntropy(t!, nested, { ignoreIndex: 7, labelSmoothing: 0.1 }), [x]).ok).toBe(true);
  });

  it('gives zero gradient to ignored rows and NaN for a mean over only ignored targets', () => {
    const x = f64([3, 4], new Generator(1));
    crossEntropy(x, [2, -100, 1]).backward();
    expect(Array.from(x.grad!.data.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Number.isNaN(crossEntropy(x, [-100, -100, -100]).item())).toBe(true);
  });

  it('is stable at extreme logits', () => {
    const x = tensor(
      [
        [1000, -1000, 0],
        [-1000, -1000, -1000],
      ],
      undefined,
      { dtype: 'float64', requiresGrad: true },
    );
    const loss = crossEntropy(x, [1, 2], { reduction: 'none' });
    expect(loss.toArray()[0]).toBe(2000);
    expect(loss.toArray()[1]).toBeCloseTo(Math.log(3), 12); // −1000 + log 3 carries an ulp of 1000
    crossEntropy(x, [1, 2], { reduction: 'sum' }).backward();
    expect(x.grad!.toArray().every(Number.isFinite)).toBe(true);
    expect(x.grad!.toArray()[0]).toBeCloseTo(1, 14);
  });

  it('rejects bad targets and options with clear errors', () => {
    expect(() => crossEntropy(logits, [1, 4, 0, 0, 0])).toThrow(ValueError);
    expect(() => crossEntropy(logits, [1, 4, 0, 0, 0])).toThrow(/target 4 at position 1 is out of range for 4 classes/);
    expect(() => crossEntropy(logits, [1, 0.5, 0, 0, 0])).toThrow(/target 0.5/);
    expect(() => crossEntropy(logits, [1, 2, 3])).toThrow(ShapeError);
    expect(() => crossEntropy(logits, tensor([[1, 2, 3, 0, 1]]))).toThrow(/targets must have shape \[5\]/);
    expect(() => crossEntropy(logits, targets, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
    expect(() => crossEntropy(logits, targets, { reduction: 'avg' as Reduction })).toThrow(/reduction/);
    expect(() => crossEntropy(logits, targets, { weight: [1, 2] })).toThrow(/weight must have one entry per class/);
    expect(() => crossEntropy(tensor(3), [0])).toThrow(ShapeError);
  });

  it('has a module form', () => {
    const loss = new CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' });
    expect(loss.forward(logits, targets).item()).toBe(
      crossEntropy(logits, targets, { labelSmoothing: 0.1, reduction: 'sum' }).item(),
    );
  });
});

describe('nllLoss', () => {
  const g = new Generator(11);
  const x = f64([4, 3], g);
  it('matches −w[y]·x[y] with PyTorch mean weighting and passes gradcheck', () => {
    const w = [1, 2, 0.5];
    const y = [2, 0, -100, 1];
    const d = x.toArray();
    const want = -(0.5 * d[2]! + 1 * d[3]! + 2 * d[10]!) / (0.5 + 1 + 2);
    expect(nllLoss(x, y, { weight: w }).item()).toBeCloseTo(want, 14);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((t) => nllLoss(t!, y, { reduction, weight: w }), [x]).ok).toBe(true);
    }
    expect(() => nllLoss(x, [3, 0, 0, 0])).toThrow(/out of range for 3 classes/);
  });
});

describe('bceWithLogits', () => {
  it('reproduces PyTorch at ±1000 and other extremes (stable_math.json)', () => {
    const ref = findReferenceDir();
    if (!ref) return;
    const j = JSON.parse(readFileSync(join(ref, 'pytorch', 'stable_math.json'), 'utf8'));
    const x = new Tensor(Float64Array.from(j.inputs.x.data), j.inputs.x.shape);
    const out = bceWithLogits(x, new Tensor(new Float64Array(x.size).fill(1), x.shape), { reduction: 'none' });
    const want: number[] = j.outputs.bce_with_logits_target1.data;
    out.toArray().forEach((v, i) => {
      expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(want[i]!)));
    });
  });

  it('passes gradcheck for logits and targets with posWeight and weight, every reduction', () => {
    const g = new Generator(5);
    const x = f64([3, 4], g);
    const t = new Tensor(
      Float64Array.from({ length: 12 }, () => g.random()),
      [3, 4],
      { requiresGrad: true },
    );
    const posWeight = tensor([0.5, 1, 2, 3], [4], { dtype: 'float64' });
    const weight = tensor([[1], [2], [0.5]], undefined, { dtype: 'float64' });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((a, b) => bceWithLogits(a!, b!, { reduction }), [x, t]).ok).toBe(true);
      const r = gradcheck(
        (a, b) =>
          bceWithLogits(a!, b!, { reduction, posWeight, weight: tensor([2, 1, 1, 0.5], [4], { dtype: 'float64' }) }),
        [x, t],
      );
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    }
    expect(() => bceWithLogits(x, t, { weight })).toThrow(ShapeError);
  });

  it('matches the posWeight formula and has finite gradients at ±1000', () => {
    const x = tensor([1000, -1000, 2], [3], { dtype: 'float64', requiresGrad: true });
    const t = tensor([0, 1, 0.25], [3], { dtype: 'float64' });
    const pw = tensor([3], [1], { dtype: 'float64' });
    const l = bceWithLogits(x, t, { posWeight: pw, reduction: 'none' }).toArray();
    expect(l[0]).toBe(1000);
    expect(l[1]).toBe(3000);
    const ls = (v: number): number => -Math.log1p(Math.exp(-v));
    expect(l[2]).toBeCloseTo(0.75 * 2 - 1.5 * ls(2), 14);
    bceWithLogits(x, t, { posWeight: pw }).backward();
    expect(x.grad!.toArray().map((v) => v * 3)).toEqual([1, -3, expect.closeTo(0.75 - 1.5 / (1 + Math.exp(2)), 14)]);
    expect(() => bceWithLogits(x, tensor([1, 0], [2], { dtype: 'float64' }))).toThrow(
      /targets must have the input's shape \[3\], got \[2\]/,
    );
  });
});

describe('mseLoss', () => {
  it('computes mean squared error and passes gradcheck for both inputs', () => {
    const g = new Generator(9);
    const a = f64([2, 3], g);
    const b = f64([2, 3], g);
    const want = a.toArray().reduce((s, v, i) => s + (v - b.data[i]!) ** 2, 0) / 6;
    expect(mseLoss(a, b).item()).toBeCloseTo(want, 14);
    expect(new MSELoss({ reduction: 'sum' }).forward(a, b).item()).toBeCloseTo(want * 6, 13);
    for (const reduction of ['mean', 'sum', 'none'] as const)
      expect(gradcheck((x, y) => mseLoss(x!, y!, { reduction }), [a, b]).ok).toBe(true);
    expect(() => mseLoss(a, f64([3, 2], g))).toThrow(ShapeError);
  });
});

describe.skipIf(!findReferenceDir())('Embedding+Linear+cross_entropy parity', () => {
  it('matches PyTorch with and without label smoothing, ignore_index and padding_idx, in float64 and float32', () => {
    const ref = findReferenceDir()!;
    for (const name of ['embedding_linear_xent_ls0.0', 'embedding_linear_xent_ls0.1']) {
      const json = JSON.parse(readFileSync(join(ref, 'pytorch', `${name}.json`), 'utf8'));
      for (const dtype of ['float64', 'float32'] as const) {
        const r = runCase(name, json, dtype);
        expect(r.failures).toEqual([]);
        expect(r.passed).toBe(true);
      }
    }
  });
});
