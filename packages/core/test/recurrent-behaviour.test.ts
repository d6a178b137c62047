import { describe, expect, it } from 'vitest';
import { randn } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { RNN } from '../src/nn/rnn.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import { LSTMCell } from '../src/nn/cells.js';
import { detachState } from '../src/nn/recurrent-state.js';
import type { RecurrentBase } from '../src/nn/recurrent.js';

const f64 = 'float64' as const;

/** x[b, 0:len, :] of a batch-first tensor as its own [1, len, F] sequence. */
function sequenceOf(x: Tensor, b: number, len: number): Tensor {
  const [, T, F] = x.shape as [number, number, number];
  const out = new Float64Array(len * F);
  out.set(x.data.subarray(b * T * F, b * T * F + len * F));
  return new Tensor(out, [1, len, F]);
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

const makers: [string, () => RecurrentBase][] = [
  [
    'RNN',
    () =>
      new RNN({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        batchFirst: true,
        dtype: f64,
        generator: new Generator(1),
      }),
  ],
  [
    'LSTM',
    () =>
      new LSTM({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        batchFirst: true,
        dtype: f64,
        generator: new Generator(2),
      }),
  ],
  [
    'GRU',
    () =>
      new GRU({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        batchFirst: true,
        dtype: f64,
        generator: new Generator(3),
      }),
  ],
];

describe('recurrent layers: behaviour', () => {
  for (const [name, make] of makers) {
    it(`${name}: lengths behave like separately run sequences (padding zero, reverse starts at each last step)`, () => {
      const layer = make();
      const x = randn([3, 5, 3], { dtype: f64, generator: new Generator(10) });
      const lengths = [5, 2, 4];
      const { output, state } = layer.forward(x, { lengths });
      const DH = 8;
      const L = 4;
      for (let b = 0; b < 3; b++) {
        const alone = layer.forward(sequenceOf(x, b, lengths[b]!));
        close(output.data.subarray(b * 5 * DH, (b * 5 + lengths[b]!) * DH), alone.output.data);
        for (let i = (b * 5 + lengths[b]!) * DH; i < (b + 1) * 5 * DH; i++) expect(output.data[i]).toBe(0);
        for (let k = 0; k < L; k++) {
          close(
            state.h.data.subarray((k * 3 + b) * 4, (k * 3 + b + 1) * 4),
            alone.state.h.data.subarray(k * 4, k * 4 + 4),
          );
          if (state.c)
            close(
              state.c.data.subarray((k * 3 + b) * 4, (k * 3 + b + 1) * 4),
              alone.state.c!.data.subarray(k * 4, k * 4 + 4),
            );
        }
      }
    });
  }

  it('step-by-step generation with a carried state equals one pass over the sequence', () => {
    for (const layer of [
      new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, dtype: f64, generator: new Generator(4) }),
      new GRU({ inputSize: 3, hiddenSize: 5, numLayers: 2, dtype: f64, generator: new Generator(5) }),
    ]) {
      const x = randn([6, 2, 3], { dtype: f64, generator: new Generator(11) });
      const full = layer.forward(x);
      noGrad(() => {
        let state = layer.initialState(2);
        for (let t = 0; t < 6; t++) {
          const step = new Tensor(x.data.slice(t * 6, (t + 1) * 6), [1, 2, 3]);
          const out = layer.forward(step, { state });
          expect(out.output.requiresGrad).toBe(false);
          expect(out.output.gradFn).toBeNull();
          close(out.output.data, full.output.data.subarray(t * 10, (t + 1) * 10));
          state = out.state;
        }
        close(state.h.data, full.state.h.data);
        if (state.c) close(state.c.data, full.state.c!.data);
      });
    }
  });

  it('batchFirst and time-major layouts give the same numbers', () => {
    const a = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      bidirectional: true,
      batchFirst: true,
      dtype: f64,
      generator: new Generator(6),
    });
    const b = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true, dtype: f64, generator: new Generator(6) });
    const x = randn([2, 5, 3], { dtype: f64, generator: new Generator(12) });
    const xt = new Float64Array(30);
    for (let i = 0; i < 2; i++)
      for (let t = 0; t < 5; t++) for (let f = 0; f < 3; f++) xt[(t * 2 + i) * 3 + f] = x.data[(i * 5 + t) * 3 + f]!;
    const ra = a.forward(x);
    const rb = b.forward(new Tensor(xt, [5, 2, 3]));
    expect(ra.output.shape).toEqual([2, 5, 8]);
    expect(rb.output.shape).toEqual([5, 2, 8]);
    for (let i = 0; i < 2; i++)
      for (let t = 0; t < 5; t++)
        close(
          ra.output.data.subarray((i * 5 + t) * 8, (i * 5 + t + 1) * 8),
          rb.output.data.subarray((t * 2 + i) * 8, (t * 2 + i + 1) * 8),
        );
    close(ra.state.h.data, rb.state.h.data);
  });

  it('float32 follows float64 closely and keeps its dtype', () => {
    const a = new GRU({ inputSize: 3, hiddenSize: 6, numLayers: 2, generator: new Generator(7) });
    const b = new GRU({ inputSize: 3, hiddenSize: 6, numLayers: 2, dtype: f64, generator: new Generator(7) });
    const x64 = randn([7, 2, 3], { dtype: f64, generator: new Generator(13) });
    const x32 = new Tensor(Float32Array.from(x64.data), x64.shape, { requiresGrad: true });
    const ra = a.forward(x32);
    const rb = b.forward(x64);
    expect(ra.output.dtype).toBe('float32');
    close(ra.output.data, rb.output.data, 1e-5);
    ra.output.backward(new Tensor(new Float32Array(ra.output.size).fill(1), ra.output.shape));
    expect(x32.grad!.dtype).toBe('float32');
    expect(a.parameters()[0]!.grad!.dtype).toBe('float32');
  });

  it('uses PyTorch parameter names, shapes, order and U(-1/sqrt(H), 1/sqrt(H)) init', () => {
    const lstm = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      generator: new Generator(8),
    });
    const names = [...lstm.namedParameters()].map(([n, p]) => `${n}:${p.shape.join('x')}`);
    expect(names.slice(0, 8)).toEqual([
      'weight_ih_l0:16x3',
      'weight_hh_l0:16x4',
      'bias_ih_l0:16',
      'bias_hh_l0:16',
      'weight_ih_l0_reverse:16x3',
      'weight_hh_l0_reverse:16x4',
      'bias_ih_l0_reverse:16',
      'bias_hh_l0_reverse:16',
    ]);
    expect(names[8]).toBe('weight_ih_l1:16x8');
    for (const p of lstm.parameters()) for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    const gru = new GRU({ inputSize: 2, hiddenSize: 3 });
    expect(gru.stateDict().weight_hh_l0!.shape).toEqual([9, 3]);
  });

  it("recurrentInit 'identity' gives identity weight_hh and zero biases (IRNN)", () => {
    const rnn = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, nonlinearity: 'relu', recurrentInit: 'identity' });
    const sd = rnn.stateDict();
    for (const l of [0, 1]) {
      expect(sd[`weight_hh_l${l}`]!.toArray()).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
      expect(sd[`bias_ih_l${l}`]!.toArray()).toEqual([0, 0, 0]);
      expect(sd[`bias_hh_l${l}`]!.toArray()).toEqual([0, 0, 0]);
    }
    expect(sd.weight_ih_l0!.toArray().some((v) => v !== 0)).toBe(true);
  });

  it('detachState keeps the values and cuts the graph (truncated BPTT)', () => {
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, dtype: f64, generator: new Generator(9) });
    const x = randn([4, 2, 2], { dtype: f64, generator: new Generator(14) });
    const first = lstm.forward(x);
    expect(first.state.h.requiresGrad).toBe(true);
    const carried = detachState(first.state);
    expect(carried.h.gradFn).toBeNull();
    expect(carried.c!.requiresGrad).toBe(false);
    expect(carried.h.toArray()).toEqual(first.state.h.toArray());
    const second = lstm.forward(x, { state: carried });
    second.output.backward(new Tensor(new Float64Array(second.output.size).fill(1), second.output.shape));
    expect(carried.h.grad).toBeNull();
    expect(x.grad).toBeNull();
    expect(lstm.parameters()[0]!.grad).not.toBeNull();
  });

  it('inter-layer dropout acts only while training and only between layers', () => {
    const lstm = new LSTM({
      inputSize: 3,
      hiddenSize: 8,
      numLayers: 2,
      dropout: 0.5,
      dtype: f64,
      generator: new Generator(10),
    });
    const x = randn([5, 2, 3], { dtype: f64, generator: new Generator(15) });
    lstm.eval();
    const a = lstm.forward(x).output.toArray();
    expect(lstm.forward(x).output.toArray()).toEqual(a);
    lstm.train();
    const b = lstm.forward(x).output.toArray();
    expect(b).not.toEqual(a);
    const single = new LSTM({ inputSize: 3, hiddenSize: 8, dropout: 0.5, dtype: f64, generator: new Generator(10) });
    const s1 = single.forward(x).output.toArray();
    single.eval();
    expect(single.forward(x).output.toArray()).toEqual(s1);
  });

  it('zero state by default; cells match a one-step layer', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, dtype: f64, generator: new Generator(16) });
    const x = randn([1, 2, 3], { dtype: f64, generator: new Generator(17) });
    expect(lstm.forward(x).output.toArray()).toEqual(lstm.forward(x, { state: lstm.initialState(2) }).output.toArray());
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4, dtype: f64 });
    cell.loadStateDict({
      weight_ih: lstm.stateDict().weight_ih_l0!,
      weight_hh: lstm.stateDict().weight_hh_l0!,
      bias_ih: lstm.stateDict().bias_ih_l0!,
      bias_hh: lstm.stateDict().bias_hh_l0!,
    });
    const step = cell.forward(new Tensor(x.data, [2, 3]));
    close(step.h.data, lstm.forward(x).output.data);
    expect(step.h.shape).toEqual([2, 4]);
  });
});
