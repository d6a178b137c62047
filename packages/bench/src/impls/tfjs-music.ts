// W5 in TensorFlow.js (wasm backend), the piano-roll LSTM as a tfjs user writes it: 88 inputs, LSTM 200, dropout
// 0.3, linear 88, sigmoid cross-entropy summed over keys and frames ÷ frames, Adam 2e-3, clip 1.0. Three ways:
// a hand-written forward and backward through time, tf.variableGrads over the same forward, and tf.layers.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../data.js';
import { JsbWindows } from '../music-data.js';
import { W5 } from '../music-shapes.js';
import type { Runner } from '../types.js';
import { applyGradients, clipByGlobalNorm, useTfBackend, type TfBackend } from './tfjs.js';

const uniform = (shape: number[], k: number, seed: number): tf.Variable =>
  tf.variable(tf.randomUniform(shape, -k, k, 'float32', seed));

/** LSTM (fused [88, 4H] and [H, 4H] weights, gates i f g o, one bias) and the linear head, PyTorch's init. */
export function rollVariables() {
  const H = W5.hidden;
  const k = 1 / Math.sqrt(H);
  return {
    wx: uniform([W5.keys, 4 * H], k, 1),
    wh: uniform([H, 4 * H], k, 2),
    b: uniform([4 * H], k, 3),
    wo: uniform([H, W5.keys], k, 4),
    bo: uniform([W5.keys], k, 5),
  };
}

/** Per-frame [B, 88] input and target tensors from a batch's [B, T, 88] arrays (tf.unstack is slow on wasm). */
export function frameSlices(inputs: ArrayLike<number>, targets: ArrayLike<number>, B: number, T: number) {
  const K = W5.keys;
  const xs: tf.Tensor2D[] = [];
  const ys: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const x = new Float32Array(B * K);
    const y = new Float32Array(B * K);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        x[b * K + k] = inputs[(b * T + t) * K + k]!;
        y[b * K + k] = targets[(b * T + t) * K + k]!;
      }
    }
    xs.push(tf.tensor2d(x, [B, K]));
    ys.push(tf.tensor2d(y, [B, K]));
  }
  return { xs, ys };
}

/** Σ over all elements of the binary cross-entropy with logits (tfjs' stable formulation). */
const bceSum = (labels: tf.Tensor, logits: tf.Tensor): tf.Scalar =>
  tf.losses.sigmoidCrossEntropy(labels, logits, undefined, 0, tf.Reduction.SUM) as tf.Scalar;

/** An inverted-dropout mask [B, H]: 0 with probability p, else 1/(1 − p). */
export const dropoutMask = (B: number, H: number, p: number): tf.Tensor2D =>
  tf.div(tf.cast(tf.greaterEqual(tf.randomUniform([B, H]), p), 'float32'), 1 - p) as tf.Tensor2D;

type FrameSlices = ReturnType<typeof frameSlices>;

/**
 * A runner timing `step` on the next batch; the batch's per-frame tensors are made before the clock starts (ours
 * gets its batch tensors ready-made too) and freed after it stops.
 */
function timedSteps(step: (slices: FrameSlices) => number): Runner {
  const windows = new JsbWindows();
  const rng = new Rng(5);
  return {
    run() {
      const batch = windows.next(rng);
      const slices = frameSlices(batch.inputs.data, batch.targets.data, W5.batch, W5.frames);
      const t0 = performance.now();
      step(slices);
      const ms = performance.now() - t0;
      for (const t of [...slices.xs, ...slices.ys]) t.dispose();
      return ms;
    },
  };
}

/** The W5 variables (LSTM and head) as `rollVariables` makes them. */
export type RollVariables = ReturnType<typeof rollVariables>;

/**
 * The loss of W5's forward with given dropout masks (mask(t) multiplies h_t before the head): per-frame fused
 * matmuls, the summed sigmoid cross-entropy ÷ frames. The reference the hand-written backward is tested against.
 */
export function rollLstmLoss(
  vars: RollVariables,
  xs: readonly tf.Tensor2D[],
  ys: readonly tf.Tensor2D[],
  mask: (t: number) => tf.Tensor,
): tf.Scalar {
  const [B] = xs[0]!.shape;
  const H = vars.wh.shape[0]!;
  let h = tf.zeros([B, H]) as tf.Tensor2D;
  let c = tf.zeros([B, H]) as tf.Tensor2D;
  const logits: tf.Tensor[] = [];
  xs.forEach((x, t) => {
    const z = tf.add(tf.fused.matMul({ a: x, b: vars.wx, bias: vars.b }), tf.matMul(h, vars.wh));
    const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
    c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
    h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D;
    logits.push(tf.fused.matMul({ a: tf.mul(h, mask(t)) as tf.Tensor2D, b: vars.wo, bias: vars.bo }));
  });
  return tf.div(bceSum(tf.concat([...ys], 0), tf.concat(logits, 0)), B * xs.length) as tf.Scalar;
}

/**
 * W5's forward and a hand-written backward through time (no autodiff), with dropout masks mask(t): each frame's
 * gates from fused matmuls, weight gradients as single large matmuls over the concatenated frames at the end, the
 * per-frame backward multiplying by weights transposed once per step (XNNPACK caches packed right operands per
 * tensor). Gradients by variable name, as tf.variableGrads gives them.
 */
export function rollLstmBptt(
  vars: RollVariables,
  xs: readonly tf.Tensor2D[],
  ys: readonly tf.Tensor2D[],
  mask: (t: number) => tf.Tensor,
): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
  const [B] = xs[0]!.shape;
  const H = vars.wh.shape[0]!;
  const T = xs.length;
  const N = B * T;
  const whT = tf.transpose(vars.wh);
  const woT = tf.transpose(vars.wo);
  const hPrev: tf.Tensor2D[] = [];
  const dropped: tf.Tensor2D[] = [];
  const masks: tf.Tensor[] = [];
  const logitsAll: tf.Tensor2D[] = [];
  const cache: { i: tf.Tensor; f: tf.Tensor; g: tf.Tensor; o: tf.Tensor; cPrev: tf.Tensor; tc: tf.Tensor }[] = [];
  let h = tf.zeros([B, H]) as tf.Tensor2D;
  let c: tf.Tensor = tf.zeros([B, H]);
  for (let t = 0; t < T; t++) {
    hPrev.push(h);
    const z = tf.add(tf.fused.matMul({ a: xs[t]!, b: vars.wx, bias: vars.b }), tf.matMul(h, vars.wh));
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
    const m = mask(t);
    masks.push(m);
    const hd = tf.mul(h, m) as tf.Tensor2D;
    dropped.push(hd);
    logitsAll.push(tf.fused.matMul({ a: hd, b: vars.wo, bias: vars.bo }) as tf.Tensor2D);
  }
  const logits = tf.concat(logitsAll, 0);
  const labels = tf.concat([...ys], 0);
  const loss = tf.div(bceSum(labels, logits), N) as tf.Scalar;
  // ∂loss/∂logits = (σ(z) − y) / N, for all frames at once, then per frame for the recurrence
  const dL = tf.div(tf.sub(tf.sigmoid(logits), labels), N) as tf.Tensor2D;
  const dLogits = logitsAll.map((l, t) => tf.div(tf.sub(tf.sigmoid(l), ys[t]!), N) as tf.Tensor2D);
  let dhNext: tf.Tensor = tf.zeros([B, H]);
  let dcNext: tf.Tensor = tf.zeros([B, H]);
  const dzs: tf.Tensor2D[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    const { i, f, g, o, cPrev, tc } = cache[t]!;
    const dh = tf.add(dhNext, tf.mul(tf.matMul(dLogits[t]!, woT), masks[t]!));
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
  const dZ = tf.concat(dzs, 0) as tf.Tensor2D;
  const grads: tf.NamedTensorMap = {
    [vars.wh.name]: tf.matMul(tf.concat(hPrev, 0), dZ, true, false),
    [vars.wx.name]: tf.matMul(tf.concat([...xs], 0), dZ, true, false),
    [vars.b.name]: tf.sum(dZ, 0),
    [vars.wo.name]: tf.matMul(tf.concat(dropped, 0), dL, true, false),
    [vars.bo.name]: tf.sum(dL, 0),
  };
  return { loss, grads };
}

/** W5 with the hand-written forward and backward through time (`rollLstmBptt`), fresh dropout masks per frame. */
export async function w5Manual(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const vars = rollVariables();
  const opt = tf.train.adam(W5.lr);
  const step = ({ xs, ys }: FrameSlices) =>
    tf.tidy(() => {
      const { loss, grads } = rollLstmBptt(vars, xs, ys, () => dropoutMask(W5.batch, W5.hidden, W5.dropout));
      applyGradients(opt, clipByGlobalNorm(grads, W5.clip));
      return loss.dataSync()[0]!;
    });
  return timedSteps(step);
}

/** W5 with tf.variableGrads over the same forward (per-frame fused matmuls, tf.dropout, the loss over all frames). */
export async function w5Grads(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { batch: B, frames: T, hidden: H } = W5;
  const vars = rollVariables();
  const list = Object.values(vars);
  const opt = tf.train.adam(W5.lr);
  const step = ({ xs, ys }: FrameSlices) =>
    tf.tidy(() => {
      const labels = tf.concat(ys, 0);
      const { value, grads } = tf.variableGrads(() => {
        let h = tf.zeros([B, H]) as tf.Tensor2D;
        let c = tf.zeros([B, H]) as tf.Tensor2D;
        const logits: tf.Tensor[] = [];
        for (let t = 0; t < T; t++) {
          const z = tf.add(tf.fused.matMul({ a: xs[t]!, b: vars.wx, bias: vars.b }), tf.matMul(h, vars.wh));
          const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
          c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
          h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D;
          logits.push(tf.fused.matMul({ a: tf.dropout(h, W5.dropout) as tf.Tensor2D, b: vars.wo, bias: vars.bo }));
        }
        return tf.div(bceSum(labels, tf.concat(logits, 0)), B * T) as tf.Scalar;
      }, list);
      applyGradients(opt, clipByGlobalNorm(grads, W5.clip));
      return value.dataSync()[0]!;
    });
  return timedSteps(step);
}

/**
 * W5 with the layers API: LSTM(200, returnSequences) → Dropout(0.3) → Dense(88) on [B, 128, 88], the summed sigmoid
 * cross-entropy ÷ frames as the loss, trainOnBatch with Adam (tfjs optimizers have no clipnorm: this row does not
 * clip).
 */
export async function w5Layers(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { batch: B, frames: T, hidden: H, keys: K } = W5;
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({ units: H, returnSequences: true, inputShape: [T, K], recurrentInitializer: 'glorotUniform' }),
      tf.layers.dropout({ rate: W5.dropout }),
      tf.layers.dense({ units: K }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(W5.lr),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.div(bceSum(yTrue.reshape([-1, K]), yPred.reshape([-1, K])), B * T),
  });
  const windows = new JsbWindows();
  const rng = new Rng(5);
  return {
    async run() {
      const batch = windows.next(rng);
      const x = tf.tensor3d(batch.inputs.data as Float32Array, [B, T, K]);
      const y = tf.tensor3d(batch.targets.data as Float32Array, [B, T, K]);
      const t0 = performance.now();
      await model.trainOnBatch(x, y);
      const ms = performance.now() - t0;
      x.dispose();
      y.dispose();
      return ms;
    },
  };
}
