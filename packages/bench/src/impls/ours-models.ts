// @recurrent/core implementations of W1 and W2, written the way a user would with the public API.
import {
  Adam,
  Embedding,
  Linear,
  LSTM,
  LstmSession,
  Module,
  clipGradNorm,
  crossEntropy,
  manualSeed,
  noGrad,
  type RecurrentState,
  type Tensor,
} from '@recurrent/core';
import { W1, W2, type Runner } from '../types.js';
import { Rng, charBatch, loadCharCorpus } from '../data.js';

class CharLSTM extends Module {
  readonly embedding: Embedding;
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor() {
    super();
    this.embedding = this.registerModule('embedding', new Embedding({ numEmbeddings: W1.vocab, embeddingDim: W1.emb }));
    this.lstm = this.registerModule('lstm', new LSTM({ inputSize: W1.emb, hiddenSize: W1.hidden, batchFirst: true }));
    this.head = this.registerModule('head', new Linear({ inFeatures: W1.hidden, outFeatures: W1.vocab }));
  }
  forward(ids: Int32Array, B: number, T: number, state?: RecurrentState): { logits: Tensor; state: RecurrentState } {
    const { output, state: next } = this.lstm.forward(this.embedding.forward(ids, [B, T]), { state });
    return { logits: this.head.forward(output), state: next };
  }
}

/** W1: one training step (forward, CE at every step, backward, clip 1.0, Adam 2e-3); tokens/s. */
export async function w1Ours(): Promise<Runner> {
  manualSeed(0);
  const { batch: B, seq: T } = W1;
  const model = new CharLSTM();
  const optimizer = new Adam(model.parameters(), { lr: W1.lr });
  const corpus = loadCharCorpus();
  const rng = new Rng(1);
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  return {
    run() {
      charBatch(corpus.ids, rng, B, T, input, target);
      const t0 = performance.now();
      const loss = crossEntropy(model.forward(input, B, T).logits, target);
      loss.backward();
      clipGradNorm(model.parameters(), W1.clip);
      optimizer.step();
      optimizer.zeroGrad();
      loss.item();
      return (B * T) / ((performance.now() - t0) / 1000);
    },
  };
}

/**
 * W2: batch-1 generation of 500 chars, state carried; ms per char. `session`: the generation API (LstmSession, the
 * model resident in wasm memory); `modules`: the same model's forward pass called once per character with the LSTM
 * weights pinned.
 */
export async function w2Ours(way: 'session' | 'modules' = 'session'): Promise<Runner> {
  manualSeed(0);
  const model = new CharLSTM();
  model.eval();
  const rng = new Rng(3);
  const id = new Int32Array(1);
  if (way === 'session') {
    return {
      run() {
        const t0 = performance.now();
        const session = new LstmSession(model);
        try {
          let token = 0;
          for (let i = 0; i < W2.chars; i++) token = rng.sample(session.step(token));
        } finally {
          session.dispose();
        }
        return (performance.now() - t0) / W2.chars;
      },
    };
  }
  return {
    run() {
      const t0 = performance.now();
      // keep the LSTM weights resident in wasm memory for the whole generation loop (public API)
      const pin = model.lstm.pinWeights();
      try {
        noGrad(() => {
          let state: RecurrentState | undefined;
          for (let i = 0; i < W2.chars; i++) {
            const r = model.forward(id, 1, 1, state);
            state = r.state;
            id[0] = rng.sample(r.logits.data);
          }
        });
      } finally {
        pin.release();
      }
      return (performance.now() - t0) / W2.chars;
    },
  };
}
