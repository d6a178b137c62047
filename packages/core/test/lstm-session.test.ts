import { describe, expect, it } from 'vitest';
import {
  Embedding,
  Generator,
  initWasm,
  Linear,
  LSTM,
  LstmSession,
  lstmSessionUnsupported,
  noGrad,
  useBackend,
  type RecurrentState,
} from '../src/index.js';

function model(vocab: number, emb: number, hidden: number, layers: number, seed: number) {
  const g = new Generator(seed);
  const embedding = new Embedding({ numEmbeddings: vocab, embeddingDim: emb, generator: g });
  const lstm = new LSTM({ inputSize: emb, hiddenSize: hidden, numLayers: layers, batchFirst: true, generator: g });
  const head = new Linear({ inFeatures: hidden, outFeatures: vocab, generator: g });
  for (const m of [embedding, lstm, head]) m.eval();
  return { embedding, lstm, head };
}

/** Logits of the module path, one token at a time with the state carried and the LSTM weights pinned. */
function modulePath(parts: ReturnType<typeof model>, tokens: number[]): Float32Array[] {
  const pin = parts.lstm.pinWeights();
  try {
    return noGrad(() => {
      let state: RecurrentState | undefined;
      return tokens.map((t) => {
        const r = parts.lstm.forward(parts.embedding.forward(Int32Array.of(t), [1, 1]), { state });
        state = r.state;
        return Float32Array.from(parts.head.forward(r.output).data);
      });
    });
  } finally {
    pin.release();
  }
}

describe('LstmSession', () => {
  it("gives the module path's logits bit for bit (1 and 2 layers; repeated tokens use the cache)", async () => {
    await initWasm();
    for (const [layers, seed] of [
      [1, 1],
      [2, 2],
    ] as const) {
      const parts = model(65, 64, 256, layers, seed);
      const tokens = [3, 17, 3, 64, 0, 17, 17, 40, 3, 9];
      const want = modulePath(parts, tokens);
      const s = new LstmSession(parts);
      const got = tokens.map((t) => Float32Array.from(s.step(t)));
      got.forEach((g, i) => {
        expect(new Uint32Array(g.buffer), `layers ${layers}, step ${i}`).toEqual(new Uint32Array(want[i]!.buffer));
      });
      s.dispose();
    }
  });

  it('state() and reset(state) carry the state; reset() zeroes it', async () => {
    await initWasm();
    const parts = model(30, 16, 32, 2, 4);
    const s = new LstmSession(parts);
    s.step(1);
    s.step(2);
    const saved = s.state();
    expect(saved.h.shape).toEqual([2, 1, 32]);
    const next = Float32Array.from(s.step(5));
    s.reset();
    const fresh = Float32Array.from(s.step(5));
    expect(fresh).not.toEqual(next);
    s.reset(saved);
    expect(Float32Array.from(s.step(5))).toEqual(next);
    s.reset();
    expect(Float32Array.from(s.step(5))).toEqual(fresh);
    s.dispose();
  });

  it('names what it cannot run and rejects bad tokens and use after dispose', async () => {
    await initWasm();
    const g = new Generator(0);
    const bi = {
      embedding: new Embedding({ numEmbeddings: 5, embeddingDim: 4, generator: g }),
      lstm: new LSTM({ inputSize: 4, hiddenSize: 6, bidirectional: true }),
      head: new Linear({ inFeatures: 12, outFeatures: 5 }),
    };
    expect(lstmSessionUnsupported(bi)).toMatch(/bidirectional/);
    expect(() => new LstmSession(bi)).toThrow(/LstmSession: the LSTM is bidirectional/);
    const wide = { ...model(5, 4, 6, 1, 0), head: new Linear({ inFeatures: 7, outFeatures: 5 }) };
    expect(lstmSessionUnsupported(wide)).toMatch(/in_features 7 is not the LSTM's hiddenSize 6/);
    const s = new LstmSession(model(5, 4, 6, 1, 0));
    expect(() => s.step(5)).toThrow(/token must be an integer in \[0, 5\), got 5/);
    expect(() => s.step(1.5)).toThrow(/got 1.5/);
    s.dispose();
    expect(() => s.step(0)).toThrow(/after dispose/);
    useBackend('ts');
    try {
      expect(lstmSessionUnsupported(model(5, 4, 6, 1, 0))).toMatch(/not active/);
    } finally {
      useBackend('wasm');
    }
  });
});
