// @recurrent/core implementations of W1–W3, written the way a user would with the public API.
import {
  Adam,
  AdditiveAttention,
  Embedding,
  GRU,
  GRUCell,
  Linear,
  LSTM,
  Module,
  cat,
  clipGradNorm,
  crossEntropy,
  manualSeed,
  noGrad,
  tanh,
  type RecurrentState,
  type Tensor,
} from '@recurrent/core';
import { W1, W2, W3, type Runner } from '../types.js';
import { Rng, charBatch, loadCharCorpus, tokenBatch } from '../data.js';

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

/** W2: batch-1 generation of 500 chars, state carried; ms per char. */
export async function w2Ours(): Promise<Runner> {
  manualSeed(0);
  const model = new CharLSTM();
  const rng = new Rng(3);
  const id = new Int32Array(1);
  return {
    run() {
      const t0 = performance.now();
      noGrad(() => {
        let state: RecurrentState | undefined;
        for (let i = 0; i < W2.chars; i++) {
          const r = model.forward(id, 1, 1, state);
          state = r.state;
          id[0] = rng.sample(r.logits.data);
        }
      });
      return (performance.now() - t0) / W2.chars;
    },
  };
}

/** The W3 model; the same architecture as the tfjs version (see impls/tfjs.ts w3Seq2seq). */
class Seq2SeqBench extends Module {
  readonly srcEmb = this.registerModule('src_emb', new Embedding({ numEmbeddings: W3.vocab, embeddingDim: W3.emb }));
  readonly tgtEmb = this.registerModule('tgt_emb', new Embedding({ numEmbeddings: W3.vocab, embeddingDim: W3.emb }));
  readonly encoder = this.registerModule(
    'encoder',
    new GRU({ inputSize: W3.emb, hiddenSize: W3.hidden, numLayers: 2, bidirectional: true, batchFirst: true }),
  );
  readonly bridge = this.registerModule('bridge', new Linear({ inFeatures: 2 * W3.hidden, outFeatures: W3.hidden }));
  readonly attention = this.registerModule(
    'attention',
    new AdditiveAttention({ queryDim: W3.hidden, keyDim: 2 * W3.hidden, hiddenDim: W3.hidden }),
  );
  readonly decoder = this.registerModule('decoder', new GRUCell({ inputSize: W3.emb + 2 * W3.hidden, hiddenSize: W3.hidden }));
  readonly out = this.registerModule('out', new Linear({ inFeatures: 3 * W3.hidden, outFeatures: W3.vocab }));

  loss(src: Int32Array, decIn: Int32Array, tgtTimeMajor: Int32Array): Tensor {
    const { batch: B, src: S, tgt: T, hidden: H } = W3;
    const { output: enc, state } = this.encoder.forward(this.srcEmb.forward(src, [B, S]));
    // h_n is [layers*2, B, H]: the top layer's forward (index 2) and backward (index 3) final states
    const hTop = state.h.reshape([4, B, H]);
    let s = tanh(this.bridge.forward(cat([hTop.narrow(0, 2, 1).reshape([B, H]), hTop.narrow(0, 3, 1).reshape([B, H])], 1)));
    const keys = this.attention.precomputeKeys(enc);
    const yEmb = this.tgtEmb.forward(decIn, [B, T]);
    const outs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const { context } = this.attention.forward(s, keys);
      s = this.decoder.forward(cat([yEmb.narrow(1, t, 1).reshape([B, W3.emb]), context], 1), s);
      outs.push(cat([s, context], 1));
    }
    return crossEntropy(this.out.forward(cat(outs, 0)), tgtTimeMajor);
  }
}

/** W3: one seq2seq training step; ms per step. */
export async function w3Ours(): Promise<Runner> {
  manualSeed(0);
  const { batch: B, src: S, tgt: T, vocab: V } = W3;
  const model = new Seq2SeqBench();
  const optimizer = new Adam(model.parameters(), { lr: W3.lr });
  const rng = new Rng(11);
  return {
    run() {
      const src = tokenBatch(rng, B, S, V);
      const tgt = tokenBatch(rng, B, T, V);
      const decIn = new Int32Array(B * T);
      const tgtTM = new Int32Array(B * T);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) {
          decIn[b * T + t] = t === 0 ? 1 : tgt[b * T + t - 1]!;
          tgtTM[t * B + b] = tgt[b * T + t]!;
        }
      const t0 = performance.now();
      const loss = model.loss(src, decIn, tgtTM);
      loss.backward();
      clipGradNorm(model.parameters(), W3.clip);
      optimizer.step();
      optimizer.zeroGrad();
      loss.item();
      return performance.now() - t0;
    },
  };
}
