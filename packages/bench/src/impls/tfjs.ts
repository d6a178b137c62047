// TensorFlow.js implementations of the workloads (cpu and wasm backends), written the fastest ways we found:
// layers `trainOnBatch`, and hand-written `tf.variableGrads` loops with one fused matmul for the 4 (3) gates.
import * as tf from '@tensorflow/tfjs';
import { W1, W2, W3, W4_SHAPES, type Runner, type W4Id } from '../types.js';
import { Rng, charBatch, loadCharCorpus, tokenBatch } from '../data.js';

export type TfBackend = 'cpu' | 'wasm';

export async function useTfBackend(backend: TfBackend): Promise<void> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
}

const uniform = (shape: number[], k: number): tf.Variable => tf.variable(tf.randomUniform(shape, -k, k, 'float32', 1));

/** Clips the gradients to a global L2 norm of `max` (like torch.nn.utils.clip_grad_norm_). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, max: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
  const scale = tf.minimum(1, tf.div(max, tf.add(norm, 1e-6)));
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n]!, scale);
  return out;
}

/** Char-LM parameters: Embedding → LSTM (fused [E,4H] and [H,4H] weights, gates i f g o) → Linear. */
function charLmVariables() {
  const k = 1 / Math.sqrt(W1.hidden);
  return {
    emb: tf.variable(tf.randomNormal([W1.vocab, W1.emb], 0, 1, 'float32', 2)),
    wx: uniform([W1.emb, 4 * W1.hidden], k),
    wh: uniform([W1.hidden, 4 * W1.hidden], k),
    b: uniform([4 * W1.hidden], k),
    wo: uniform([W1.hidden, W1.vocab], k),
    bo: uniform([W1.vocab], k),
  };
}
type CharLmVars = ReturnType<typeof charLmVariables>;

/** One fused LSTM step: all four gates from one matmul, then split. */
function lstmStep(xProj: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, wh: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const z = tf.add(xProj, tf.matMul(h, wh));
  const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
  const c2 = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
  const h2 = tf.mul(tf.sigmoid(o!), tf.tanh(c2)) as tf.Tensor2D;
  return [h2, c2];
}

/** W1 with a hand-written variableGrads loop. */
export async function w1Fused(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { B, T, H, V } = { B: W1.batch, T: W1.seq, H: W1.hidden, V: W1.vocab };
  const vars = charLmVariables();
  const list = Object.values(vars);
  const opt = tf.train.adam(W1.lr);
  const corpus = loadCharCorpus();
  const rng = new Rng(1);
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  const step = () =>
    tf.tidy(() => {
      charBatch(corpus.ids, rng, B, T, input, target);
      const xs = tf.tensor1d(input, 'int32');
      const ys = tf.oneHot(tf.tensor1d(target, 'int32'), V).toFloat();
      const { value, grads } = tf.variableGrads(() => {
        const proj = tf.add(tf.matMul(tf.gather(vars.emb, xs), vars.wx), vars.b).reshape([B, T, 4 * H]);
        const steps = tf.unstack(proj, 1) as tf.Tensor2D[];
        let h = tf.zeros([B, H]) as tf.Tensor2D;
        let c = tf.zeros([B, H]) as tf.Tensor2D;
        const hs: tf.Tensor2D[] = [];
        for (let t = 0; t < T; t++) {
          [h, c] = lstmStep(steps[t]!, h, c, vars.wh);
          hs.push(h);
        }
        const logits = tf.add(tf.matMul(tf.stack(hs, 1).reshape([B * T, H]), vars.wo), vars.bo);
        return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
      }, list);
      opt.applyGradients(clipByGlobalNorm(grads, W1.clip));
      return value.dataSync()[0]!;
    });
  return {
    run() {
      const t0 = performance.now();
      step();
      return (B * T) / ((performance.now() - t0) / 1000);
    },
  };
}

/** W1 with the layers API and trainOnBatch (tfjs optimizers have no clipnorm, so this one does not clip). */
export async function w1Layers(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { B, T, H, V } = { B: W1.batch, T: W1.seq, H: W1.hidden, V: W1.vocab };
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: V, outputDim: W1.emb, inputLength: T }),
      tf.layers.lstm({ units: H, returnSequences: true }),
      tf.layers.dense({ units: V }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(W1.lr),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue.reshape([-1, V]), yPred.reshape([-1, V])),
  });
  const corpus = loadCharCorpus();
  const rng = new Rng(1);
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  return {
    async run() {
      charBatch(corpus.ids, rng, B, T, input, target);
      const x = tf.tensor2d(input, [B, T], 'float32');
      const y = tf.tidy(() => tf.oneHot(tf.tensor2d(target, [B, T], 'int32'), V).toFloat());
      const t0 = performance.now();
      await model.trainOnBatch(x, y);
      const ms = performance.now() - t0;
      x.dispose();
      y.dispose();
      return (B * T) / (ms / 1000);
    },
  };
}

/** W2: batch-1 generation of 500 chars with a hand-written fused step (state carried), ms per char. */
export async function w2Fused(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const vars: CharLmVars = charLmVariables();
  const rng = new Rng(3);
  return {
    run() {
      let h = tf.zeros([1, W1.hidden]) as tf.Tensor2D;
      let c = tf.zeros([1, W1.hidden]) as tf.Tensor2D;
      let current = 0;
      const t0 = performance.now();
      for (let i = 0; i < W2.chars; i++) {
        const [h2, c2, logits] = tf.tidy(() => {
          const x = tf.add(tf.matMul(tf.gather(vars.emb, tf.tensor1d([current], 'int32')), vars.wx), vars.b) as tf.Tensor2D;
          const [hn, cn] = lstmStep(x, h, c, vars.wh);
          return [hn, cn, tf.add(tf.matMul(hn, vars.wo), vars.bo)];
        });
        h.dispose();
        c.dispose();
        h = h2 as tf.Tensor2D;
        c = c2 as tf.Tensor2D;
        current = rng.sample(logits!.dataSync());
        logits!.dispose();
      }
      const ms = performance.now() - t0;
      h.dispose();
      c.dispose();
      return ms / W2.chars;
    },
  };
}

/** Bidirectional-capable GRU layer over [B, T, in] with fused gates (r z n, PyTorch order), returns [B, T, H] per step list. */
function gruLayer(
  xs: tf.Tensor2D[],
  w: { wx: tf.Variable; wh: tf.Variable; bx: tf.Variable; bh: tf.Variable },
  reverse: boolean,
  B: number,
  H: number,
): tf.Tensor2D[] {
  const T = xs.length;
  const proj = tf.add(tf.matMul(tf.concat(xs, 0), w.wx), w.bx); // all steps at once: [T*B, 3H]
  const steps = tf.split(proj, T, 0) as tf.Tensor2D[];
  const out: tf.Tensor2D[] = new Array(T);
  let h = tf.zeros([B, H]) as tf.Tensor2D;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    h = gruCell(steps[t]!, h, w.wh, w.bh);
    out[t] = h;
  }
  return out;
}

function gruCell(xProj: tf.Tensor2D, h: tf.Tensor2D, wh: tf.Tensor2D, bh: tf.Tensor1D): tf.Tensor2D {
  const hp = tf.add(tf.matMul(h, wh), bh);
  const [xr, xz, xn] = tf.split(xProj, 3, 1);
  const [hr, hz, hn] = tf.split(hp, 3, 1);
  const r = tf.sigmoid(tf.add(xr!, hr!));
  const z = tf.sigmoid(tf.add(xz!, hz!));
  const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
  return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
}

/**
 * W3: 2-layer bidirectional GRU encoder (256 per direction) + GRU decoder (256) with additive attention over the
 * encoder outputs, teacher forcing, vocab 8000 on both sides, CE over all target steps, Adam, clip 1.0.
 * Decoder: s0 = tanh(W_b [h_fwd_T; h_bwd_1]); at step t, context = attn(s_{t-1}, enc); s_t = GRU([emb(y_{t-1}); context], s_{t-1});
 * logits = W_o [s_t; context] + b_o.
 */
export async function w3Seq2seq(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { B, S, T, V, E, H } = { B: W3.batch, S: W3.src, T: W3.tgt, V: W3.vocab, E: W3.emb, H: W3.hidden };
  const gruVars = (inp: number) => {
    const k = 1 / Math.sqrt(H);
    return { wx: uniform([inp, 3 * H], k), wh: uniform([H, 3 * H], k), bx: uniform([3 * H], k), bh: uniform([3 * H], k) };
  };
  const v = {
    srcEmb: tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', 4)),
    tgtEmb: tf.variable(tf.randomNormal([V, E], 0, 1, 'float32', 5)),
    l0f: gruVars(E),
    l0b: gruVars(E),
    l1f: gruVars(2 * H),
    l1b: gruVars(2 * H),
    bridge: uniform([2 * H, H], 1 / Math.sqrt(2 * H)),
    bridgeB: uniform([H], 1 / Math.sqrt(2 * H)),
    attnQ: uniform([H, H], 1 / Math.sqrt(H)),
    attnK: uniform([2 * H, H], 1 / Math.sqrt(2 * H)),
    attnV: uniform([H, 1], 1 / Math.sqrt(H)),
    dec: gruVars(E + 2 * H),
    out: uniform([3 * H, V], 1 / Math.sqrt(3 * H)),
    outB: uniform([V], 1 / Math.sqrt(3 * H)),
  };
  const list: tf.Variable[] = [];
  const collect = (x: unknown): void => {
    if (x instanceof tf.Variable) list.push(x);
    else if (x && typeof x === 'object') Object.values(x).forEach(collect);
  };
  collect(v);
  const opt = tf.train.adam(W3.lr);
  const rng = new Rng(11);
  const step = () =>
    tf.tidy(() => {
      const src = tensorTM(tokenBatch(rng, B, S, V), B, S);
      const tgt = tokenBatch(rng, B, T, V);
      const decIn = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        decIn[b * T] = 1;
        for (let t = 1; t < T; t++) decIn[b * T + t] = tgt[b * T + t - 1]!;
      }
      const decInTM = tensorTM(decIn, B, T);
      const labels = tf.oneHot(tensorTM(tgt, B, T), V).toFloat();
      const { value, grads } = tf.variableGrads(() => {
        const x0 = tf.split(tf.gather(v.srcEmb, src), S, 0) as tf.Tensor2D[];
        const f0 = gruLayer(x0, v.l0f, false, B, H);
        const b0 = gruLayer(x0, v.l0b, true, B, H);
        const x1 = f0.map((f, t) => tf.concat([f, b0[t]!], 1) as tf.Tensor2D);
        const f1 = gruLayer(x1, v.l1f, false, B, H);
        const b1 = gruLayer(x1, v.l1b, true, B, H);
        const enc = tf.stack(f1.map((f, t) => tf.concat([f, b1[t]!], 1)), 1) as tf.Tensor3D; // [B, S, 2H]
        const keys = tf.matMul(enc.reshape([B * S, 2 * H]), v.attnK).reshape([B, S, H]);
        let s = tf.tanh(tf.add(tf.matMul(tf.concat([f1[S - 1]!, b1[0]!], 1), v.bridge), v.bridgeB)) as tf.Tensor2D;
        const yEmb = tf.split(tf.gather(v.tgtEmb, decInTM), T, 0) as tf.Tensor2D[];
        const decX = tf.matMul(tf.concat(yEmb, 0), v.dec.wx.slice([0, 0], [E, 3 * H])); // embedding part for all steps
        const decXs = tf.split(decX, T, 0) as tf.Tensor2D[];
        const wxCtx = v.dec.wx.slice([E, 0], [2 * H, 3 * H]);
        const outs: tf.Tensor2D[] = [];
        for (let t = 0; t < T; t++) {
          const q = tf.matMul(s, v.attnQ).reshape([B, 1, H]);
          const scores = tf.matMul(tf.tanh(tf.add(keys, q)).reshape([B * S, H]), v.attnV).reshape([B, S]);
          const weights = tf.softmax(scores);
          const ctx = tf.matMul(weights.reshape([B, 1, S]), enc).reshape([B, 2 * H]) as tf.Tensor2D;
          const xProj = tf.add(tf.add(decXs[t]!, tf.matMul(ctx, wxCtx)), v.dec.bx) as tf.Tensor2D;
          s = gruCell(xProj, s, v.dec.wh, v.dec.bh);
          outs.push(tf.concat([s, ctx], 1) as tf.Tensor2D);
        }
        const logits = tf.add(tf.matMul(tf.concat(outs, 0), v.out), v.outB);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }, list);
      opt.applyGradients(clipByGlobalNorm(grads, W3.clip));
      return value.dataSync()[0]!;
    });
  return {
    run() {
      const t0 = performance.now();
      step();
      return performance.now() - t0;
    },
  };
}

/** [B, T] batch-major ids → time-major flat int32 tensor [T*B]. */
function tensorTM(ids: Int32Array, B: number, T: number): tf.Tensor1D {
  const tm = new Int32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) tm[t * B + b] = ids[b * T + t]!;
  return tf.tensor1d(tm, 'int32');
}

/** W4: float32 matmul GFLOP/s on tensors resident in the backend (no read-back). */
export async function w4Matmul(backend: TfBackend, id: W4Id): Promise<Runner> {
  await useTfBackend(backend);
  const { M, K, N } = W4_SHAPES[id];
  const a = tf.randomUniform([M, K], -1, 1, 'float32', 1);
  const b = tf.randomUniform([K, N], -1, 1, 'float32', 2);
  const flop = 2 * M * N * K;
  const reps = Math.max(1, Math.round(2e9 / flop / (backend === 'cpu' ? 20 : 1)));
  return {
    run() {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
      return (flop * reps) / ((performance.now() - t0) / 1000) / 1e9;
    },
  };
}
