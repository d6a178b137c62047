// W6 in TensorFlow.js: the same SSD-MobileNetV2 (the TFLite weights @recurrent/vision parses from
// @mediapipe/objectron) built as tfjs ops (src/tflite-tfjs.ts), and the check that both give the same outputs.
import * as tf from '@tensorflow/tfjs';
import { loadObjectronDetector } from '@recurrent/vision/node';
import { compareTfliteGraphs } from '../tflite-parity.js';
import { TfjsTfliteGraph } from '../tflite-tfjs.js';
import type { Runner } from '../types.js';
import { benchPhotoInput, gridTensorName } from '../vision-data.js';
import { useTfBackend, type TfBackend } from './tfjs.js';

/** Largest max |ours − tfjs| / max |ours| the W6 check accepts over the outputs and the grid. */
export const W6_TOLERANCE = 1e-3;

async function detectorInTfjs() {
  const detector = loadObjectronDetector();
  const graph = new TfjsTfliteGraph(detector.graph.model, detector.graph.source);
  const { input } = await benchPhotoInput();
  return { detector, graph, input, grid: gridTensorName(detector, 'grid19') };
}

/** W6: tfjs' forward of the same network on the same photo, outputs and grid19 read back; ms. */
export async function w6Tfjs(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { graph, input, grid } = await detectorInTfjs();
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const nhwc = tf.tidy(() => tf.transpose(tf.tensor4d(input.data as Float32Array, [N, C, H, W]), [0, 2, 3, 1]));
  return {
    run() {
      const t0 = performance.now();
      const out = graph.run(nhwc as tf.Tensor4D, [grid]);
      const results = [...Object.values(out.outputs), ...Object.values(out.taps)];
      for (const t of results) t.dataSync();
      const ms = performance.now() - t0;
      for (const t of results) t.dispose();
      return ms;
    },
  };
}

/**
 * W6 check: ours and tfjs-wasm on the same photo; the value is the worst max |ours − tfjs| / max |ours| over the
 * class logits, the box encodings and the grid19 features, in parts per million. Over W6_TOLERANCE is an error.
 */
export async function w6Check(backend: TfBackend): Promise<Runner> {
  await useTfBackend(backend);
  const { detector, graph, input, grid } = await detectorInTfjs();
  return {
    run() {
      const parity = compareTfliteGraphs(detector.graph, graph, input, [grid]);
      if (!(parity.worst <= W6_TOLERANCE))
        throw new Error(`W6: ours and tfjs differ by ${JSON.stringify(parity.relative)} (tolerance ${W6_TOLERANCE})`);
      return parity.worst * 1e6;
    },
  };
}
