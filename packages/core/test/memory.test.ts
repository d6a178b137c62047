import { describe, expect, it } from 'vitest';
import { Embedding } from '../src/nn/embedding.js';
import { LSTM } from '../src/nn/lstm.js';
import { Linear } from '../src/nn/linear.js';
import { crossEntropy } from '../src/losses/index.js';
import { Adam, clipGradNorm } from '../src/optim/index.js';
import { Generator } from '../src/random.js';
import { detachState, type RecurrentState } from '../src/nn/recurrent-state.js';

describe('training loop memory', () => {
  it('frees the graph after backward: 10,000 steps do not grow the heap', () => {
    const g = new Generator(7);
    const emb = new Embedding({ numEmbeddings: 20, embeddingDim: 8, generator: g });
    const lstm = new LSTM({ inputSize: 8, hiddenSize: 32, batchFirst: true, generator: g });
    const head = new Linear({ inFeatures: 32, outFeatures: 20, generator: g });
    const params = [...emb.parameters(), ...lstm.parameters(), ...head.parameters()];
    const opt = new Adam(params, { lr: 1e-3 });
    const B = 4;
    const T = 10;
    const ids = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    let state: RecurrentState | undefined;
    let heapAt1000 = 0;
    let lastLoss = Number.NaN;
    for (let step = 1; step <= 10_000; step++) {
      for (let i = 0; i < ids.length; i++) {
        ids[i] = g.randint(20);
        targets[i] = (ids[i]! + 1) % 20;
      }
      // Truncated BPTT: carry the state's values, cut its graph.
      const out = lstm.forward(emb.forward(ids, [B, T]), { state });
      state = detachState(out.state);
      const loss = crossEntropy(head.forward(out.output), targets);
      loss.backward();
      expect(loss.gradFn === null || loss.gradFn.inputs.length === 0).toBe(true);
      clipGradNorm(params, 1);
      opt.step();
      opt.zeroGrad();
      lastLoss = loss.item();
      if (step === 1000) heapAt1000 = process.memoryUsage().heapUsed;
    }
    const growth = process.memoryUsage().heapUsed - heapAt1000;
    // A leaked graph would keep ~50 KB per step (≈450 MB over 9,000 steps).
    expect(growth).toBeLessThan(48 * 1024 * 1024);
    expect(lastLoss).toBeLessThan(1.0); // it also learned the +1 mapping
  });
});
