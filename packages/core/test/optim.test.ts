import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../src/tensor/tensor.js';
import { randn, tensor } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { FormatError, ValueError, RecurrentError } from '../src/errors.js';
import { findReferenceDir } from '../src/io/paths.js';
import { runCase } from '../src/parity/runner.js';
import '../src/parity/handlers/optim.js';
import { Linear } from '../src/nn/linear.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { SGD } from '../src/optim/sgd.js';
import { Adam } from '../src/optim/adam.js';
import { AdamW } from '../src/optim/adamw.js';
import { RMSprop } from '../src/optim/rmsprop.js';
import { Adagrad } from '../src/optim/adagrad.js';
import { clipGradNorm, clipGradValue } from '../src/optim/clip-grad-norm.js';
import {
  optimizerStateFromJSON,
  optimizerStateFromTensors,
  optimizerStateToJSON,
  optimizerStateToTensors,
} from '../src/optim/state.js';

const ref = findReferenceDir();
const OPTIM_CASES = [
  'optim_SGD',
  'optim_SGD_momentum_nesterov',
  'optim_Adam',
  'optim_AdamW',
  'optim_RMSprop',
  'optim_Adagrad',
  'clip_grad_norm',
];

describe.skipIf(!ref)('optimizer parity with PyTorch', () => {
  it.each(OPTIM_CASES)('%s matches in float64 and float32', (name) => {
    const json = JSON.parse(readFileSync(join(ref!, 'pytorch', `${name}.json`), 'utf8'));
    for (const dtype of ['float64', 'float32'] as const) {
      const r = runCase(name, json, dtype);
      expect(r.failures).toEqual([]);
      expect(r.passed).toBe(true);
    }
  });

  it('Adam follows the reference trajectory through the public API (bias correction, eps outside the root)', () => {
    const j = JSON.parse(readFileSync(join(ref!, 'pytorch', 'optim_Adam.json'), 'utf8'));
    const p = new Tensor(Float64Array.from(j.inputs.p0.data), j.inputs.p0.shape, { requiresGrad: true });
    const opt = new Adam([p], { lr: j.config.lr, betas: j.config.betas, eps: j.config.eps });
    j.inputs.grads.forEach((g: { data: number[]; shape: number[] }, k: number) => {
      p.grad = new Tensor(Float64Array.from(g.data), g.shape);
      opt.step();
      const want: number[] = j.outputs.params_after_each_step[k].data;
      p.toArray().forEach((v, i) => {
        expect(Math.abs(v - want[i]!)).toBeLessThan(1e-14);
      });
    });
  });
});

/** Fixed pseudo-random gradients so two runs see the same sequence. */
function gradSequence(steps: number, sizes: number[]): Float64Array[][] {
  const g = new Generator(42);
  return Array.from({ length: steps }, () => sizes.map((n) => Float64Array.from({ length: n }, () => g.normal())));
}

function makeParams(): Tensor[] {
  const g = new Generator(1);
  return [
    randn([3, 2], { dtype: 'float64', generator: g, requiresGrad: true }),
    randn([4], { dtype: 'float64', generator: g, requiresGrad: true }),
  ];
}

const FACTORIES: [string, (ps: Tensor[]) => Optimizer][] = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.01, weightDecay: 0.1, amsgrad: true })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.01 })],
  ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01 })],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
];

function run(opt: Optimizer, params: Tensor[], grads: Float64Array[][]): void {
  for (const gs of grads) {
    params.forEach((p, i) => {
      p.grad = new Tensor(gs[i]!.slice(), p.shape);
    });
    opt.step();
    opt.zeroGrad();
  }
}

describe('optimizer state dicts', () => {
  it.each(FACTORIES)('%s resumes exactly from stateDict, its JSON form and its tensor form', (_, make) => {
    const grads = gradSequence(6, [6, 4]);
    const straight = makeParams();
    run(make(straight), straight, grads);

    for (const via of ['direct', 'json', 'tensors'] as const) {
      const params = makeParams();
      const first = make(params);
      run(first, params, grads.slice(0, 3));
      let sd = first.stateDict();
      if (via === 'json') sd = optimizerStateFromJSON(JSON.parse(JSON.stringify(optimizerStateToJSON(sd))));
      if (via === 'tensors') {
        const { tensors, metadata } = optimizerStateToTensors(sd);
        sd = optimizerStateFromTensors(tensors, metadata);
      }
      const resumedParams = params.map((p) => new Tensor(p.data.slice(), p.shape, { requiresGrad: true }));
      const second = make(resumedParams);
      second.loadStateDict(sd);
      run(second, resumedParams, grads.slice(3));
      resumedParams.forEach((p, i) => {
        expect(Array.from(p.data)).toEqual(Array.from(straight[i]!.data));
      });
    }
  });

  it('restores hyperparameters including a scheduled lr, and stateDict is a copy', () => {
    const ps = makeParams();
    const opt = new Adam(ps, { lr: 0.01 });
    run(opt, ps, gradSequence(1, [6, 4]));
    opt.lr = 0.005;
    const sd = opt.stateDict();
    sd.state[0]!.buffers.exp_avg![0] = 123;
    expect(opt.stateDict().state[0]!.buffers.exp_avg![0]).not.toBe(123);
    const other = new Adam(makeParams(), { lr: 1, betas: [0.5, 0.6] });
    other.loadStateDict(opt.stateDict());
    expect(other.lr).toBe(0.005);
    expect(other.betas).toEqual([0.9, 0.999]);
  });

  it('rejects mismatched state dicts without changing anything', () => {
    const ps = makeParams();
    const opt = new Adam(ps);
    run(opt, ps, gradSequence(1, [6, 4]));
    const good = opt.stateDict();
    const sgd = new SGD(makeParams(), { momentum: 0.9 });
    expect(() => sgd.loadStateDict(good)).toThrow(/for 'Adam', not 'SGD'/);
    const target = new Adam(makeParams());
    const bad = opt.stateDict();
    bad.state[1]!.buffers.exp_avg = new Float64Array(3);
    expect(() => target.loadStateDict(bad)).toThrow(/buffer 'exp_avg' has 3 values for 4/);
    expect(() => target.loadStateDict({ ...good, state: good.state.slice(0, 1) })).toThrow(
      /1 entries for 2 parameters/,
    );
    const missing = opt.stateDict();
    delete missing.state[0]!.buffers.exp_avg_sq;
    expect(() => target.loadStateDict(missing)).toThrow(/parameter 0: missing buffer 'exp_avg_sq'/);
    expect(() =>
      target.loadStateDict({ ...good, hyperparameters: { ...good.hyperparameters, eps: 'x' as unknown as number } }),
    ).toThrow(FormatError);
    expect(() => target.loadStateDict({ ...good, hyperparameters: { ...good.hyperparameters, eps: -1 } })).toThrow(
      ValueError,
    );
    expect(target.stateDict().state).toEqual([null, null]);
  });
});

describe('optimizer behaviour', () => {
  it('skips parameters without a gradient and accepts a module', () => {
    const lin = new Linear({ inFeatures: 2, outFeatures: 2, generator: new Generator(0), dtype: 'float64' });
    const opt = new SGD(lin, { lr: 0.5 });
    const before = lin.bias!.toArray();
    const w = lin.weight.toArray();
    lin.weight.grad = tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' });
    opt.step();
    expect(lin.bias!.toArray()).toEqual(before);
    expect(lin.weight.toArray()).toEqual(w.map((v, i) => v - 0.5 * (i + 1)));
    opt.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });

  it('SGD with momentum uses the gradient itself as the first buffer (PyTorch)', () => {
    const p = tensor([1], [1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([p], { lr: 1, momentum: 0.9, dampening: 0.5 });
    p.grad = tensor([1], [1], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBe(0);
    opt.step();
    expect(p.item()).toBeCloseTo(-(0.9 + 0.5), 15);
  });

  it('Adagrad steps with lr / (1 + (t−1)·lrDecay) and eps outside the root', () => {
    const p = tensor([0], [1], { dtype: 'float64', requiresGrad: true });
    const opt = new Adagrad([p], { lr: 1, lrDecay: 0.5, eps: 0.25, initialAccumulatorValue: 0 });
    p.grad = tensor([2], [1], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBeCloseTo(-2 / (2 + 0.25), 15);
    opt.step();
    expect(p.item()).toBeCloseTo(-2 / 2.25 - (1 / 1.5) * (2 / (Math.sqrt(8) + 0.25)), 15);
  });

  it('validates hyperparameters and the mutable lr', () => {
    const ps = makeParams();
    expect(() => new SGD(ps, { lr: -1 })).toThrow(/invalid learning rate -1/);
    expect(() => new SGD(ps, { nesterov: true })).toThrow(/Nesterov/);
    expect(() => new Adam(ps, { betas: [0.9, 1] })).toThrow(/beta2/);
    expect(() => new Adam(ps, { eps: Number.NaN })).toThrow(/eps/);
    expect(() => new SGD([ps[0]!, ps[0]!])).toThrow(/more than once/);
    const opt = new SGD(ps);
    opt.lr = Number.NaN;
    ps[0]!.grad = tensor(new Float64Array(6), [3, 2]);
    expect(() => opt.step()).toThrow(ValueError);
  });
});

describe('clipGradNorm', () => {
  const withGrads = (...gs: number[][]): Tensor[] =>
    gs.map((g) => {
      const p = tensor(new Float64Array(g.length), [g.length], { requiresGrad: true });
      p.grad = tensor(g, [g.length], { dtype: 'float64' });
      return p;
    });

  it('returns the total norm and scales by maxNorm / (norm + 1e-6) only when above', () => {
    const ps = withGrads([3, 4], [12]);
    const skipped = tensor([1], [1], { requiresGrad: true });
    expect(clipGradNorm([...ps, skipped], 6.5)).toBe(13);
    const coef = 6.5 / (13 + 1e-6);
    expect(ps[0]!.grad!.toArray()).toEqual([3 * coef, 4 * coef]);
    const small = withGrads([0.3, 0.4]);
    expect(clipGradNorm(small, 1)).toBeCloseTo(0.5, 15);
    expect(small[0]!.grad!.toArray()).toEqual([0.3, 0.4]);
  });

  it('supports the infinity norm and other p', () => {
    const ps = withGrads([1, -5], [2]);
    expect(clipGradNorm(ps, 1, Infinity)).toBe(5);
    expect(ps[0]!.grad!.toArray()[1]).toBeCloseTo(-1 / (1 + 2e-7), 12);
    expect(clipGradNorm(withGrads([1, -2], [3]), 100, 1)).toBeCloseTo(6, 14);
    expect(clipGradNorm(withGrads([1, -2], [2]), 100, 3)).toBeCloseTo(17 ** (1 / 3), 14);
  });

  it('reports a non-finite norm only when asked to', () => {
    expect(clipGradNorm(withGrads([Number.NaN, 1]), 1)).toBeNaN();
    expect(() => clipGradNorm(withGrads([Infinity, 1]), 1, 2, { errorIfNonfinite: true })).toThrow(RecurrentError);
    expect(() => clipGradNorm(withGrads([1]), -1)).toThrow(ValueError);
  });

  it('clipGradValue clamps elementwise', () => {
    const ps = withGrads([-3, 0.5, 2]);
    clipGradValue(ps, 1);
    expect(ps[0]!.grad!.toArray()).toEqual([-1, 0.5, 1]);
  });
});
