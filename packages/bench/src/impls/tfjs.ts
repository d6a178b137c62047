// TensorFlow.js implementations of the workloads (cpu and wasm backends), written the fastest ways we found:
// layers `trainOnBatch`, and hand-written `tf.variableGrads` loops with one fused matmul for the 4 (3) gates.
import * as tf from '@tensorflow/tfjs';
import { W1, W2, W3, W4_SHAPES, type Runner, type W4Id } from '../types.js';
import { Rng, charBatch, loadCharCorpus, tokenBatch } from '../data.js';

export type TfBackend = 'cpu' | 'wasm';

export async function useTfBackend(backend: TfBackend): Promise<void> {
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmSegmentSum();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
}

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
}

/**
 * tfjs-backend-wasm 4.22 has no UnsortedSegmentSum, which the gradient of `gather` (embeddings) needs, so neither the
 * layers Embedding nor a hand-written gather can train on it. This registers a plain JS implementation (a scatter-add,
 * cheap next to the rest of a step) so the peer can run at all.
 */
function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as WasmBackendLike;
      const xs = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((p, d) => p * d, 1);
      const out = new Float32Array(numSegments * inner);
      for (let r = 0; r < ids.length; r++) {
        const id = ids[r]!;
        if (id < 0 || id >= numSegments) continue;
        const o = id * inner;
        const i0 = r * inner;
        for (let j = 0; j < inner; j++) out[o + j]! += xs[i0 + j]!;
      }
      return b.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32', undefined, out);
    },
  });
}

const uniform = (shape: number[], k: number): tf.Variable => tf.variable(tf.randomUniform(shape, -k, k, 'float32', 1));

/** Clips the gradients to a global L2 norm of `max` (like torch.nn.utils.clip_grad_norm_). */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, max: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
  const scale = tf.minimum(1, tf.div(max, tf.add(norm, 1e-6)));
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n]!, scale);
  return out;
}

/**
 * Optimizer.applyGradients is typed for variable maps, but takes any name → gradient map (as variableGrads returns).
 */
export function applyGradients(opt: tf.Optimizer, grads: tf.NamedTensorMap): void {
  opt.applyGradients(grads as unknown as Parameters<tf.Optimizer['applyGradients']>[0]);
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
function lstmStep(xProj: tf.Tensor, h: tf.Tensor, c: tf.Tensor, wh: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  const z = tf.add(xProj, tf.matMul(h as tf.Tensor2D, wh as tf.Tensor2D));
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
  // tf.unstack / tf.split of the [B*T, 4H] input projection take seconds per step on the wasm backend, so the
  // input projection and the logits are computed per time step (small matmuls against cached weights) instead.
  const step = () =>
    tf.tidy(() => {
      charBatch(corpus.ids, rng, B, T, input, target);
      const { xs, ys } = timeSlices(input, target, B, T, V);
      const { value, grads } = tf.variableGrads(() => {
        let h = tf.zeros([B, H]) as tf.Tensor2D;
        let c = tf.zeros([B, H]) as tf.Tensor2D;
        let loss: tf.Tensor = tf.scalar(0);
        for (let t = 0; t < T; t++) {
          const xp = tf.add(tf.matMul(tf.gather(vars.emb, xs[t]!), vars.wx), vars.b);
          [h, c] = lstmStep(xp, h, c, vars.wh);
          loss = tf.add(loss, tf.losses.softmaxCrossEntropy(ys[t]!, tf.add(tf.matMul(h, vars.wo), vars.bo)));
        }
        return tf.div(loss, T) as tf.Scalar;
      }, list);
      applyGradients(opt, clipByGlobalNorm(grads, W1.clip));
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

/** Per-time-step id tensors [B] and one-hot targets [B, V] from batch-major B×T arrays. */
function timeSlices(input: Int32Array, target: Int32Array, B: number, T: number, V: number) {
  const xs: tf.Tensor1D[] = [];
  const ys: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const xi = new Int32Array(B);
    const yi = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      xi[b] = input[b * T + t]!;
      yi[b] = target[b * T + t]!;
    }
    xs.push(tf.tensor1d(xi, 'int32'));
    ys.push(tf.oneHot(tf.tensor1d(yi, 'int32'), V).toFloat() as tf.Tensor2D);
  }
  return { xs, ys };
}

/**
 * W1 with a hand-written forward and backward through time (no autodiff): per-step gates from one fused matmul,
 * and all weight gradients as single large matmuls over the concatenated steps at the end. tfjs-wasm's matmul is
 * only fast when its right operand is a tensor it has seen before (XNNPACK caches the packed weights per tensor), so
 * the per-step backward multiplies by transposed weights computed once per step.
 */
export async function w1Manual(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { B, T, H, V } = { B: W1.batch, T: W1.seq, H: W1.hidden, V: W1.vocab };
  const vars = charLmVariables();
  const opt = tf.train.adam(W1.lr);
  const corpus = loadCharCorpus();
  const rng = new Rng(1);
  const input = new Int32Array(B * T);
  const target = new Int32Array(B * T);
  const step = () =>
    tf.tidy(() => {
      charBatch(corpus.ids, rng, B, T, input, target);
      const { xs, ys } = timeSlices(input, target, B, T, V);
      const whT = tf.transpose(vars.wh);
      const woT = tf.transpose(vars.wo);
      const wxT = tf.transpose(vars.wx);
      const xsE: tf.Tensor2D[] = [];
      const hPrev: tf.Tensor2D[] = [];
      const cache: { i: tf.Tensor; f: tf.Tensor; g: tf.Tensor; o: tf.Tensor; cPrev: tf.Tensor; tc: tf.Tensor }[] = [];
      const dLogits: tf.Tensor2D[] = [];
      const hs: tf.Tensor2D[] = [];
      let h = tf.zeros([B, H]) as tf.Tensor2D;
      let c: tf.Tensor = tf.zeros([B, H]);
      let loss: tf.Tensor = tf.scalar(0);
      for (let t = 0; t < T; t++) {
        const x = tf.gather(vars.emb, xs[t]!) as tf.Tensor2D;
        xsE.push(x);
        hPrev.push(h);
        const z = tf.add(tf.add(tf.matMul(x, vars.wx), vars.b), tf.matMul(h, vars.wh));
        const [zi, zf, zg, zo] = tf.split(z, 4, 1);
        const i = tf.sigmoid(zi!);
        const f = tf.sigmoid(zf!);
        const g = tf.tanh(zg!);
        const o = tf.sigmoid(zo!);
        const cPrev = c;
        c = tf.add(tf.mul(f, c), tf.mul(i, g));
        const tc = tf.tanh(c);
        h = tf.mul(o, tc) as tf.Tensor2D;
        cache.push({ i, f, g, o, cPrev, tc });
        hs.push(h);
        const logits = tf.add(tf.matMul(h, vars.wo), vars.bo);
        const logp = tf.logSoftmax(logits);
        loss = tf.sub(loss, tf.sum(tf.mul(ys[t]!, logp)));
        dLogits.push(tf.div(tf.sub(tf.exp(logp), ys[t]!), B * T) as tf.Tensor2D);
      }
      // backward through time
      let dhNext: tf.Tensor = tf.zeros([B, H]);
      let dcNext: tf.Tensor = tf.zeros([B, H]);
      const dzs: tf.Tensor2D[] = new Array(T);
      for (let t = T - 1; t >= 0; t--) {
        const { i, f, g, o, cPrev, tc } = cache[t]!;
        const dh = tf.add(dhNext, tf.matMul(dLogits[t]!, woT));
        const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
        const di = tf.mul(tf.mul(dc, g), tf.mul(i, tf.sub(1, i)));
        const df = tf.mul(tf.mul(dc, cPrev), tf.mul(f, tf.sub(1, f)));
        const dg = tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g)));
        const dO = tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o)));
        const dz = tf.concat([di, df, dg, dO], 1) as tf.Tensor2D;
        dzs[t] = dz;
        dhNext = tf.matMul(dz, whT);
        dcNext = tf.mul(dc, f);
      }
      const dZ = tf.concat(dzs, 0);
      const dL = tf.concat(dLogits, 0);
      const X = tf.concat(xsE, 0);
      const grads: tf.NamedTensorMap = {
        [vars.wh.name]: tf.matMul(tf.transpose(tf.concat(hPrev, 0)), dZ),
        [vars.wx.name]: tf.matMul(tf.transpose(X), dZ),
        [vars.b.name]: tf.sum(dZ, 0),
        [vars.wo.name]: tf.matMul(tf.transpose(tf.concat(hs, 0)), dL),
        [vars.bo.name]: tf.sum(dL, 0),
        [vars.emb.name]: tf.unsortedSegmentSum(tf.matMul(dZ, wxT), tf.concat(xs, 0), V),
      };
      applyGradients(opt, clipByGlobalNorm(grads, W1.clip));
      return tf.div(loss, B * T).dataSync()[0]!;
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
      // glorot instead of the default orthogonal recurrent init: tfjs' orthogonal init of 256×1024 takes minutes on cpu
      tf.layers.lstm({ units: H, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
      tf.layers.dense({ units: V }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(W1.lr),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(yTrue.reshape([-1, V]), yPred.reshape([-1, V])),
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
          const x = tf.add(
            tf.matMul(tf.gather(vars.emb, tf.tensor1d([current], 'int32')), vars.wx),
            vars.b,
          ) as tf.Tensor2D;
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

/** Bidirectional-capable GRU layer over [B, T, in], fused gates (r z n, PyTorch order); returns [B, T, H] per step. */
function gruLayer(
  xs: tf.Tensor2D[],
  w: { wx: tf.Variable; wh: tf.Variable; bx: tf.Variable; bh: tf.Variable },
  reverse: boolean,
  B: number,
  H: number,
): tf.Tensor2D[] {
  const T = xs.length;
  // per-step input projections: splitting one [T*B, 3H] projection is very slow on tfjs-wasm (see w1Fused)
  const out: tf.Tensor2D[] = new Array(T);
  let h = tf.zeros([B, H]) as tf.Tensor2D;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    h = gruCell(tf.add(tf.matMul(xs[t]!, w.wx), w.bx), h, w.wh, w.bh);
    out[t] = h;
  }
  return out;
}

function gruCell(xProj: tf.Tensor, h: tf.Tensor, wh: tf.Tensor, bh: tf.Tensor): tf.Tensor2D {
  const hp = tf.add(tf.matMul(h as tf.Tensor2D, wh as tf.Tensor2D), bh);
  const [xr, xz, xn] = tf.split(xProj, 3, 1);
  const [hr, hz, hn] = tf.split(hp, 3, 1);
  const r = tf.sigmoid(tf.add(xr!, hr!));
  const z = tf.sigmoid(tf.add(xz!, hz!));
  const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
  return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
}

/**
 * W3, the architecture of @recurrent/core's Seq2Seq (cell 'gru', attention 'additive', no input feeding): embeddings
 * 256, 2-layer bidirectional GRU encoder 256, s0 = tanh(W_b [h_fwd; h_bwd] + b_b) from the top layer, GRU decoder
 * 256 over the target embeddings, additive attention score v·tanh(W_q s_t + U k) from every decoder state,
 * h̃ = tanh(W_c [s_t; ctx]), logits = W_o h̃ + b_o; CE over all target steps, Adam, clip 1.0. Autodiff via
 * variableGrads.
 */
export async function w3Seq2seq(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { B, S, T, V, E, H } = { B: W3.batch, S: W3.src, T: W3.tgt, V: W3.vocab, E: W3.emb, H: W3.hidden };
  const gruVars = (inp: number) => {
    const k = 1 / Math.sqrt(H);
    return {
      wx: uniform([inp, 3 * H], k),
      wh: uniform([H, 3 * H], k),
      bx: uniform([3 * H], k),
      bh: uniform([3 * H], k),
    };
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
    dec: gruVars(E),
    combine: uniform([3 * H, H], 1 / Math.sqrt(3 * H)),
    out: uniform([H, V], 1 / Math.sqrt(H)),
    outB: uniform([V], 1 / Math.sqrt(H)),
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
      const srcSteps = tf.split(src, S, 0) as tf.Tensor1D[];
      const decSteps = tf.split(tensorTM(decIn, B, T), T, 0) as tf.Tensor1D[];
      const labels = tf.oneHot(tf.tensor1d(tgt, 'int32'), V).toFloat(); // batch-major, like the logits
      const { value, grads } = tf.variableGrads(() => {
        const x0 = srcSteps.map((ids) => tf.gather(v.srcEmb, ids) as tf.Tensor2D);
        const f0 = gruLayer(x0, v.l0f, false, B, H);
        const b0 = gruLayer(x0, v.l0b, true, B, H);
        const x1 = f0.map((f, t) => tf.concat([f, b0[t]!], 1) as tf.Tensor2D);
        const f1 = gruLayer(x1, v.l1f, false, B, H);
        const b1 = gruLayer(x1, v.l1b, true, B, H);
        const enc = tf.stack(
          f1.map((f, t) => tf.concat([f, b1[t]!], 1)),
          1,
        ) as tf.Tensor3D; // [B, S, 2H]
        const keys = tf.matMul(enc.reshape([B * S, 2 * H]), v.attnK).reshape([B, 1, S, H]);
        let s = tf.tanh(tf.add(tf.matMul(tf.concat([f1[S - 1]!, b1[0]!], 1), v.bridge), v.bridgeB)) as tf.Tensor2D;
        const states: tf.Tensor2D[] = [];
        for (let t = 0; t < T; t++) {
          s = gruCell(tf.add(tf.matMul(tf.gather(v.tgtEmb, decSteps[t]!), v.dec.wx), v.dec.bx), s, v.dec.wh, v.dec.bh);
          states.push(s);
        }
        // attention from all B·T decoder states at once
        const Q = tf.stack(states, 1) as tf.Tensor3D; // [B, T, H]
        const q = tf.matMul(Q.reshape([B * T, H]), v.attnQ).reshape([B, T, 1, H]);
        const scores = tf.matMul(tf.tanh(tf.add(keys, q)).reshape([B * T * S, H]), v.attnV).reshape([B, T, S]);
        const ctx = tf.matMul(tf.softmax(scores), enc); // [B, T, 2H]
        const hTilde = tf.tanh(tf.matMul(tf.concat([Q, ctx], 2).reshape([B * T, 3 * H]), v.combine));
        const logits = tf.add(tf.matMul(hTilde, v.out), v.outB);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }, list);
      applyGradients(opt, clipByGlobalNorm(grads, W3.clip));
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
