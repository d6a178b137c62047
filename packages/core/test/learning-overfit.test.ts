import { describe, expect, it } from 'vitest';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { Linear } from '../src/nn/linear.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import { RNN } from '../src/nn/rnn.js';
import { Adam } from '../src/optim/adam.js';
import { crossEntropy } from '../src/losses/cross-entropy.js';
import type { RecurrentBase } from '../src/nn/recurrent.js';

const B = 4;
const T = 8;
const K = 5;

/**
 * Per-step classification of a tiny fixed batch with random labels: only memorisation can fit it, so the loss
 * reaching ~0 shows forward, backward (through lengths, both directions and two layers) and Adam working together.
 */
function overfit(layer: RecurrentBase, iterations: number): { first: number; last: number } {
  const g = new Generator(42);
  const x = randn([B, T, 3], { generator: g });
  const lengths = [8, 5, 3, 8];
  const targets: number[] = [];
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) targets.push(t < lengths[b]! ? g.randint(K) : -100);
  const ids = Int32Array.from(targets);
  const head = new Linear({ inFeatures: layer.hiddenSize * layer.numDirections, outFeatures: K, generator: g });
  const opt = new Adam([...layer.parameters(), ...head.parameters()], { lr: 0.02 });
  let first = Number.NaN;
  let last = Number.NaN;
  for (let i = 0; i < iterations; i++) {
    const { output } = layer.forward(x, { lengths });
    const loss = crossEntropy(head.forward(output), ids, { ignoreIndex: -100 });
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (i === 0) first = loss.item();
    last = loss.item();
  }
  return { first, last };
}

describe('learning: recurrent layers overfit a tiny batch', () => {
  it('LSTM, 2 layers, bidirectional, variable lengths', () => {
    const { first, last } = overfit(
      new LSTM({
        inputSize: 3,
        hiddenSize: 16,
        numLayers: 2,
        bidirectional: true,
        batchFirst: true,
        generator: new Generator(1),
      }),
      150,
    );
    expect(first).toBeGreaterThan(1.2);
    expect(last).toBeLessThan(0.05);
  });

  it('GRU', () => {
    const { first, last } = overfit(
      new GRU({ inputSize: 3, hiddenSize: 16, batchFirst: true, generator: new Generator(2) }),
      150,
    );
    expect(first).toBeGreaterThan(1.2);
    expect(last).toBeLessThan(0.05);
  });

  it('tanh RNN', () => {
    const { first, last } = overfit(
      new RNN({ inputSize: 3, hiddenSize: 16, batchFirst: true, generator: new Generator(3) }),
      150,
    );
    expect(first).toBeGreaterThan(1.2);
    expect(last).toBeLessThan(0.05);
  });
});
