import { describe, expect, it } from 'vitest';
import { CellComparison } from '../src/diagnostics/cell-comparison.js';
import { addingProblem, copyTask } from '../src/diagnostics/long-range-tasks.js';
import { ValueError } from '../src/errors.js';

describe('CellComparison', () => {
  it('trains every cell on the same batches and is reproducible from its seed', () => {
    const make = () =>
      new CellComparison({ task: addingProblem({ length: 12 }), hiddenSize: 8, batchSize: 8, seed: 3 });
    const a = make();
    const b = make();
    expect(a.cells).toEqual(['rnn', 'irnn', 'lstm', 'gru']);
    for (let i = 0; i < 3; i++) expect(a.trainStep()).toEqual(b.trainStep());
    expect(a.step).toBe(3);
  });

  it('on a short adding problem every cell beats the input-blind baseline within its budget', () => {
    const task = addingProblem({ length: 6 });
    const race = new CellComparison({ task, hiddenSize: 16, batchSize: 32, lr: 1e-2, seed: 1 });
    const before = race.evaluate();
    for (let i = 0; i < 400; i++) race.trainStep();
    const after = race.evaluate();
    for (const [i, r] of after.entries()) {
      expect(r.loss, `${r.cell}: ${before[i]?.loss} -> ${r.loss}`).toBeLessThan(task.baselineLoss / 3);
    }
  });

  it('the gradient profile shows the vanishing gradient: the tanh RNN loses orders of magnitude, gates keep it', () => {
    const race = new CellComparison({ task: addingProblem({ length: 60 }), hiddenSize: 16, batchSize: 8, seed: 2 });
    for (let i = 0; i < 100; i++) race.trainStep();
    const profile = race.gradientProfile();
    const ratio = (cell: string) => profile.find((p) => p.cell === cell)?.firstToLast ?? Number.NaN;
    expect(profile.every((p) => p.norms.length === 60 && p.norms.every((n) => Number.isFinite(n)))).toBe(true);
    expect(ratio('rnn')).toBeLessThan(1e-12);
    expect(ratio('lstm')).toBeGreaterThan(1e4 * ratio('rnn'));
    expect(ratio('gru')).toBeGreaterThan(1e4 * ratio('rnn'));
    expect(ratio('irnn')).toBeGreaterThan(1e-2); // the identity keeps the gradient's scale
  });

  it('clipping caps the step of an exploding IRNN; without it the gradient norm is what it is', () => {
    const task = addingProblem({ length: 40 });
    const options = { task, cells: ['irnn'] as const, hiddenSize: 16, batchSize: 8, recurrentScale: 1.2, seed: 5 };
    const free = new CellComparison({ ...options, clip: null });
    const clipped = new CellComparison({ ...options, clip: 1 });
    const profile = free.gradientProfile()[0];
    expect(profile?.firstToLast, '1.2·I recurrence: the gradient grows back through time').toBeGreaterThan(100);
    const f = free.trainStep().cells[0];
    const c = clipped.trainStep().cells[0];
    expect(f?.gradNorm).toBeGreaterThan(1e4);
    expect(f?.clipped).toBe(false);
    expect(c?.gradNorm).toBeCloseTo(f?.gradNorm ?? Number.NaN, 0); // the same first step, measured before clipping
    expect(c?.clipped).toBe(true);
  });

  it('reads every step on the copy task and reports a finite loss', () => {
    const race = new CellComparison({
      task: copyTask({ length: 5, copyLength: 3, symbols: 4 }),
      cells: ['gru'],
      hiddenSize: 8,
    });
    const step = race.trainStep().cells[0];
    expect(step?.cell).toBe('gru');
    expect(Number.isFinite(step?.loss)).toBe(true);
    expect(step?.loss).toBeGreaterThan(0);
  });

  it('marks a cell diverged when its loss stops being finite and leaves it alone afterwards', () => {
    const race = new CellComparison({
      task: addingProblem({ length: 100 }),
      cells: ['irnn', 'lstm'],
      hiddenSize: 8,
      recurrentScale: 3,
    });
    const first = race.trainStep().cells;
    expect(first[0]?.diverged, 'an IRNN with 3·I recurrence overflows float32 within 100 steps').toBe(true);
    expect(first[1]?.diverged).toBe(false);
    const next = race.trainStep().cells;
    expect(next[0]?.diverged).toBe(true);
    expect(Number.isNaN(next[0]?.loss)).toBe(true);
    expect(Number.isFinite(next[1]?.loss)).toBe(true);
  });

  it('lstmForgetBias shifts only the forget-gate rows of the LSTM bias', () => {
    const task = addingProblem({ length: 5 });
    const plain = new CellComparison({ task, cells: ['lstm'], hiddenSize: 4, seed: 9 });
    const biased = new CellComparison({ task, cells: ['lstm'], hiddenSize: 4, seed: 9, lstmForgetBias: 1 });
    const bias = (c: CellComparison) => Array.from(c.layerOf('lstm').stateDict().bias_ih_l0?.data ?? []);
    const diff = bias(biased).map((v, i) => v - (bias(plain)[i] ?? 0));
    expect(diff.map((d) => Math.round(d * 1e6) / 1e6)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('rejects bad options with a clear error', () => {
    const task = addingProblem({ length: 5 });
    expect(() => new CellComparison({ task, cells: [] })).toThrow(/at least one cell/);
    // @ts-expect-error an unknown cell
    expect(() => new CellComparison({ task, cells: ['transformer'] })).toThrow(/unknown cell 'transformer'/);
    expect(() => new CellComparison({ task, clip: 0 })).toThrow(ValueError);
    expect(() => new CellComparison({ task, hiddenSize: 2.5 })).toThrow(/hiddenSize must be a positive integer/);
  });
});
