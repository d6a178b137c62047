// W5's hand-written tfjs backward through time (the fastest peer row) against tfjs' own autodiff of the same forward,
// with the same dropout masks: the peer trains the model it claims to.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useTfBackend } from '../src/impls/tfjs.js';
import { dropoutMask, rollLstmBptt, rollLstmLoss, rollVariables } from '../src/impls/tfjs-music.js';
import { W5 } from '../src/music-shapes.js';

describe('W5 tfjs bptt', () => {
  it('gives the loss and the gradients of tf.variableGrads over the same forward (dropout masks fixed)', async () => {
    await useTfBackend('cpu');
    const [B, T] = [3, 5];
    const vars = rollVariables();
    const xs = Array.from({ length: T }, (_, t) =>
      tf.cast(tf.greater(tf.randomUniform([B, W5.keys], 0, 1, 'float32', 10 + t), 0.9), 'float32'),
    ) as tf.Tensor2D[];
    const ys = Array.from({ length: T }, (_, t) =>
      tf.cast(tf.greater(tf.randomUniform([B, W5.keys], 0, 1, 'float32', 20 + t), 0.9), 'float32'),
    ) as tf.Tensor2D[];
    const masks = Array.from({ length: T }, () => dropoutMask(B, W5.hidden, W5.dropout));
    const manual = rollLstmBptt(vars, xs, ys, (t) => masks[t]!);
    const auto = tf.variableGrads(() => rollLstmLoss(vars, xs, ys, (t) => masks[t]!), Object.values(vars));
    expect(manual.loss.dataSync()[0]).toBeCloseTo(auto.value.dataSync()[0]!, 5);
    for (const v of Object.values(vars)) {
      const a = manual.grads[v.name]!.dataSync();
      const b = auto.grads[v.name]!.dataSync();
      expect(a.length).toBe(b.length);
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(b[i]!));
        diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
      }
      expect(scale).toBeGreaterThan(0);
      expect(diff / scale).toBeLessThan(1e-4);
    }
  });
});
