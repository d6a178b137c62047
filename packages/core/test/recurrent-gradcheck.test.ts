import { describe, expect, it } from 'vitest';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { RNN } from '../src/nn/rnn.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import { GRUCell, LSTMCell, RNNCell } from '../src/nn/cells.js';
import type { RecurrentBase } from '../src/nn/recurrent.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

function check(layer: RecurrentBase, withC: boolean, lengths?: number[], T = 4, B = 3): void {
  const g = new Generator(11);
  const L = layer.numLayers * layer.numDirections;
  const shape = layer.batchFirst ? [B, T, layer.inputSize] : [T, B, layer.inputSize];
  const x = randn(shape, { ...f64, generator: g });
  const h0 = randn([L, B, layer.hiddenSize], { ...f64, generator: g });
  const c0 = randn([L, B, layer.hiddenSize], { ...f64, generator: g });
  const inputs = [x, h0, ...(withC ? [c0] : []), ...layer.parameters()];
  const res = gradcheck((xi, hi, ci) => {
    const state = withC ? { h: hi!, c: ci! } : { h: hi! };
    const out = layer.forward(xi!, { state, lengths });
    return [out.output, out.state.h, ...(out.state.c ? [out.state.c] : [])];
  }, inputs);
  expect(res.worst === null || res.ok, `worst ${JSON.stringify(res.worst)}`).toBe(true);
  expect(res.ok).toBe(true);
}

describe('recurrent layers: float64 gradcheck of the fused backward', () => {
  for (const nonlinearity of ['tanh', 'relu'] as const) {
    it(`RNN ${nonlinearity}, 2 layers, bidirectional, lengths`, () => {
      const layer = new RNN({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        nonlinearity,
        dtype: 'float64',
        generator: new Generator(1),
      });
      check(layer, false, [4, 2, 1]);
    });
  }

  it('RNN, 1 layer, batchFirst, no bias', () => {
    const layer = new RNN({
      inputSize: 3,
      hiddenSize: 4,
      batchFirst: true,
      bias: false,
      dtype: 'float64',
      generator: new Generator(2),
    });
    check(layer, false);
  });

  it('LSTM, 2 layers, bidirectional, lengths, batchFirst', () => {
    const layer = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      batchFirst: true,
      dtype: 'float64',
      generator: new Generator(3),
    });
    check(layer, true, [4, 1, 3]);
  });

  it('LSTM, 1 layer, full lengths, time-major', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 5, dtype: 'float64', generator: new Generator(4) });
    check(layer, true, undefined, 5, 2);
  });

  it('GRU, 2 layers, bidirectional, lengths', () => {
    const layer = new GRU({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      dtype: 'float64',
      generator: new Generator(5),
    });
    check(layer, false, [2, 4, 3]);
  });

  it('GRU without bias, batchFirst', () => {
    const layer = new GRU({
      inputSize: 2,
      hiddenSize: 3,
      bias: false,
      batchFirst: true,
      dtype: 'float64',
      generator: new Generator(6),
    });
    check(layer, false);
  });

  it('LSTM with inter-layer dropout (mask fixed by reseeding the generator)', () => {
    const gen = new Generator(7);
    const layer = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      dropout: 0.4,
      dtype: 'float64',
      generator: gen,
    });
    const g = new Generator(8);
    const x = randn([4, 2, 3], { ...f64, generator: g });
    const res = gradcheck(
      (xi) => {
        gen.manualSeed(99);
        return layer.forward(xi!).output;
      },
      [x, ...layer.parameters()],
    );
    expect(res.ok).toBe(true);
  });

  it('cells', () => {
    const g = new Generator(9);
    const x = randn([3, 4], { ...f64, generator: g });
    const h = randn([3, 5], { ...f64, generator: g });
    const c = randn([3, 5], { ...f64, generator: g });
    const rnn = new RNNCell({ inputSize: 4, hiddenSize: 5, dtype: 'float64', generator: g });
    expect(gradcheck((a, b) => rnn.forward(a!, b!), [x, h, ...rnn.parameters()]).ok).toBe(true);
    const relu = new RNNCell({ inputSize: 4, hiddenSize: 5, nonlinearity: 'relu', dtype: 'float64', generator: g });
    expect(gradcheck((a, b) => relu.forward(a!, b!), [x, h, ...relu.parameters()]).ok).toBe(true);
    const lstm = new LSTMCell({ inputSize: 4, hiddenSize: 5, dtype: 'float64', generator: g });
    expect(
      gradcheck(
        (a, b, cc) => {
          const o = lstm.forward(a!, { h: b!, c: cc! });
          return [o.h, o.c] as Tensor[];
        },
        [x, h, c, ...lstm.parameters()],
      ).ok,
    ).toBe(true);
    const gru = new GRUCell({ inputSize: 4, hiddenSize: 5, dtype: 'float64', generator: g });
    expect(gradcheck((a, b) => gru.forward(a!, b!), [x, h, ...gru.parameters()]).ok).toBe(true);
  });
});
