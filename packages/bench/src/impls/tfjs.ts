// TensorFlow.js implementations of W1, W2 and W4 (cpu and wasm backends), written the fastest ways we found: layers
// `trainOnBatch`, and hand-written `tf.variableGrads` loops with one fused matmul for the 4 gates. The translation
// workloads' peer is tfjs-translation.ts.
import * as tf from '@tensorflow/tfjs';
import { W1, W2, W4_SHAPES, type Runner, type W4Id } from '../types.js';
import { Rng, charBatch, loadCharCorpus } from '../data.js';

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
