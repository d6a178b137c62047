import { describe, expect, it } from 'vitest';
import { randn } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import { RNN } from '../src/nn/rnn.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import { RNNCell } from '../src/nn/cells.js';
import { sum } from '../src/ops/reduce.js';
import { hiddenGradientNorms } from '../src/diagnostics/hidden-gradients.js';

const T = 50;
const H = 32;

/** log10(‖∂L/∂h_0‖ / ‖∂L/∂h_{T-1}‖): how many orders of magnitude the gradient loses over the sequence. */
function decay(norms: number[]): number {
  return Math.log10(norms[0]! / norms[norms.length - 1]!);
}

/** The usual LSTM forget-gate bias of 1 (Gers et al. 2000; Jozefowicz et al. 2015) on top of PyTorch's init. */
function forgetBiasOne(lstm: LSTM): LSTM {
  const b = lstm.stateDict().bias_ih_l0!;
  for (let j = H; j < 2 * H; j++) b.data[j]! += 1;
  return lstm;
}

describe('hidden-state gradient diagnostic', () => {
  it('matches ∂L/∂h_t from an unrolled cell with retainGrad (float64)', () => {
    const g = new Generator(3);
    const layer = new RNN({ inputSize: 3, hiddenSize: 4, dtype: 'float64', generator: g });
    const x = randn([6, 2, 3], { dtype: 'float64', generator: g });
    const norms = hiddenGradientNorms(layer, x);
    const cell = new RNNCell({ inputSize: 3, hiddenSize: 4, dtype: 'float64' });
    const sd = layer.stateDict();
    cell.loadStateDict({
      weight_ih: sd.weight_ih_l0!,
      weight_hh: sd.weight_hh_l0!,
      bias_ih: sd.bias_ih_l0!,
      bias_hh: sd.bias_hh_l0!,
    });
    const hs: Tensor[] = [];
    let h: Tensor | undefined;
    for (let t = 0; t < 6; t++) {
      h = cell.forward(new Tensor(x.data.slice(t * 6, t * 6 + 6), [2, 3]), h).retainGrad();
      hs.push(h);
    }
    h!.backward(new Tensor(new Float64Array(8).fill(1), [2, 4]));
    const expected = hs.map((ht) => Math.hypot(...ht.grad!.toArray()));
    expect(norms).toHaveLength(6);
    norms.forEach((n, t) => {
      expect(Math.abs(n - expected[t]!)).toBeLessThan(1e-12 * expected[5]!);
    });
    expect(norms[5]).toBeCloseTo(Math.sqrt(8), 12);
    // The diagnostic leaves parameter gradients alone.
    expect(layer.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('a vanilla tanh RNN loses its gradient over 50 steps far faster than an LSTM of the same size', () => {
    for (const seed of [0, 1, 2]) {
      const x = randn([T, 8, 4], { generator: new Generator(seed) });
      const rnn = hiddenGradientNorms(new RNN({ inputSize: 4, hiddenSize: H, generator: new Generator(seed + 10) }), x);
      const lstm = hiddenGradientNorms(
        forgetBiasOne(new LSTM({ inputSize: 4, hiddenSize: H, generator: new Generator(seed + 10) })),
        x,
      );
      // The RNN's gradient shrinks step after step from the last time step to the first …
      for (const t of [0, 10, 20, 30, 40]) expect(rnn[t]!).toBeLessThan(rnn[t + 9]!);
      expect(decay(rnn)).toBeLessThan(-9);
      // … while the LSTM's cell path keeps at least four more orders of magnitude of it.
      expect(decay(lstm)).toBeGreaterThan(decay(rnn) + 4);
      expect(decay(lstm)).toBeGreaterThan(-7);
    }
  });

  it("shows that PyTorch's default LSTM init (forget gate ≈ 0.5) still vanishes over 50 steps", () => {
    const x = randn([T, 8, 4], { generator: new Generator(5) });
    const lstm = hiddenGradientNorms(new LSTM({ inputSize: 4, hiddenSize: H, generator: new Generator(6) }), x);
    expect(decay(lstm)).toBeLessThan(-8);
  });

  it('observes any layer and direction, or a custom loss', () => {
    const gru = new GRU({
      inputSize: 3,
      hiddenSize: 5,
      numLayers: 2,
      bidirectional: true,
      batchFirst: true,
      generator: new Generator(7),
    });
    const x = randn([2, 9, 3], { generator: new Generator(8) });
    const reverse = hiddenGradientNorms(gru, x, { layer: 0, direction: 1 });
    expect(reverse).toHaveLength(9);
    expect(reverse.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    // Sum of every output step: the last step's gradient is then the output gradient alone.
    const top = hiddenGradientNorms(gru, x, { loss: (r) => sum(r.output) });
    expect(top[8]).toBeGreaterThan(0);
    expect(() => hiddenGradientNorms(gru, x, { loss: (r) => r.output })).toThrow(/scalar/);
    expect(top.every((v) => Number.isFinite(v))).toBe(true);
    expect(() => hiddenGradientNorms(gru, x, { layer: 2 })).toThrow(/layer must be in 0\.\.1/);
    expect(() => hiddenGradientNorms(new GRU({ inputSize: 3, hiddenSize: 5 }), x, { direction: 1 })).toThrow(
      /direction 1/,
    );
  });
});
