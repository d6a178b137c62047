import { describe, expect, it } from 'vitest';
import { tensor } from '../src/tensor/creation.js';
import { SGD } from '../src/optim/sgd.js';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  StepLR,
  WarmupCosineLR,
  type LRScheduler,
} from '../src/optim/schedulers.js';
import { FormatError, ValueError } from '../src/errors.js';

const opt = (lr: number): SGD => new SGD([tensor([0], [1], { requiresGrad: true })], { lr });

/** The lr at epochs 0..n−1 (construction sets epoch 0; each step() advances one). */
function trace(s: LRScheduler, n: number): number[] {
  const out = [s.getLr()];
  for (let i = 1; i < n; i++) {
    s.step();
    out.push(s.getLr());
  }
  return out;
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    expect(v, `epoch ${i}`).toBeCloseTo(want[i]!, 14);
  });
}

describe('learning-rate schedules (PyTorch values)', () => {
  it('StepLR multiplies by gamma every stepSize epochs', () => {
    const o = opt(0.1);
    expectClose(trace(new StepLR(o, { stepSize: 3, gamma: 0.1 }), 8), [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001]);
    expect(o.lr).toBeCloseTo(0.001, 15);
  });

  it('ExponentialLR', () => {
    expectClose(trace(new ExponentialLR(opt(1), { gamma: 0.5 }), 4), [1, 0.5, 0.25, 0.125]);
  });

  it('CosineAnnealingLR follows η_min + (η₀ − η_min)(1 + cos(πt/T))/2, and rises again after T like PyTorch', () => {
    const T = 10;
    const closed = (t: number): number => 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * t) / T))) / 2;
    const got = trace(new CosineAnnealingLR(opt(0.1), { tMax: T, etaMin: 0.001 }), 25);
    expectClose(
      got,
      Array.from({ length: 25 }, (_, t) => closed(t)),
    );
    expect(got[10]).toBeCloseTo(0.001, 15);
    expect(got[5]).toBeCloseTo(0.0505, 15);
    expect(got[20]).toBeCloseTo(0.1, 14);
  });

  it('LinearLR warms up from startFactor to endFactor over totalIters, then holds', () => {
    // lr 0.2, factors 0.25 → 1 over 4 epochs: 0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2
    expectClose(
      trace(new LinearLR(opt(0.2), { startFactor: 0.25, totalIters: 4 }), 6),
      [0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2],
    );
    // PyTorch defaults: startFactor 1/3, totalIters 5
    expectClose(trace(new LinearLR(opt(0.3)), 7), [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3]);
  });

  it('LambdaLR and WarmupCosineLR', () => {
    expectClose(trace(new LambdaLR(opt(2), (e) => 1 / (e + 1)), 4), [2, 1, 2 / 3, 0.5]);
    const got = trace(new WarmupCosineLR(opt(1), { warmupSteps: 4, totalSteps: 8, etaMin: 0.1 }), 10);
    const cos = (k: number): number => 0.1 + (0.9 * (1 + Math.cos((Math.PI * k) / 4))) / 2;
    expectClose(got, [0, 0.25, 0.5, 0.75, cos(0), cos(1), cos(2), cos(3), 0.1, 0.1]);
  });

  it('saves and restores the epoch counter, and validates options', () => {
    const o = opt(0.1);
    const s = new StepLR(o, { stepSize: 2, gamma: 0.5 });
    s.step();
    s.step();
    s.step();
    const state = s.stateDict();
    const o2 = opt(0.7);
    const s2 = new StepLR(o2, { stepSize: 2, gamma: 0.5 });
    s2.loadStateDict(state);
    o2.lr = o.lr;
    s.step();
    s2.step();
    expect(o2.lr).toBe(o.lr);
    expect(s2.baseLr).toBe(0.1);
    expect(() => s2.loadStateDict({ ...state, scheduler: 'CosineAnnealingLR' })).toThrow(FormatError);
    expect(() => new StepLR(opt(0.1), { stepSize: 0 })).toThrow(ValueError);
    expect(() => new CosineAnnealingLR(opt(0.1), { tMax: 1.5 })).toThrow(/tMax/);
    expect(() => new WarmupCosineLR(opt(0.1), { warmupSteps: 5, totalSteps: 5 })).toThrow(/must exceed/);
    expect(() => new LinearLR(opt(0.1), { startFactor: 0 })).toThrow(/startFactor/);
  });
});
