// How far the tfjs build of a TFLite graph is from @recurrent/vision's TfliteGraph on the same input: W6's check row
// and the unit test on a small random network both use it.
import * as tf from '@tensorflow/tfjs';
import { noGrad, permute, type Tensor } from '@recurrent/core';
import type { TfliteGraph } from '@recurrent/vision';
import type { TfjsTfliteGraph } from './tflite-tfjs.js';

export interface TfliteParity {
  /** Per compared tensor (outputs by name, then taps): max |ours − tfjs| / max |ours|. */
  relative: Record<string, number>;
  /** The largest of them. */
  worst: number;
}

/** max |a − b| / max |a| over two arrays of the same length. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} values from ours, ${b.length} from tfjs`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  if (!(Number.isFinite(diff) && Number.isFinite(scale))) return Number.POSITIVE_INFINITY;
  return scale === 0 ? diff : diff / scale;
}

/**
 * Run both graphs on the same image ([1, C, H, W] for ours, the same values NHWC for tfjs) and compare every output
 * and every tap (ours gives 4-D taps NCHW; they are moved to NHWC before comparing).
 */
export function compareTfliteGraphs(
  ours: TfliteGraph,
  theirs: TfjsTfliteGraph,
  input: Tensor,
  taps: readonly string[],
): TfliteParity {
  const mine = noGrad(() => ours.run(input, { taps }));
  const nhwc = tf.tensor4d(noGrad(() => permute(input, [0, 2, 3, 1]).data) as Float32Array, [
    input.shape[0]!,
    input.shape[2]!,
    input.shape[3]!,
    input.shape[1]!,
  ]);
  const other = theirs.run(nhwc, taps);
  const relative: Record<string, number> = {};
  for (const [name, t] of Object.entries(mine.outputs)) {
    const o = other.outputs[name];
    if (!o) throw new Error(`tfjs graph has no output ${name}`);
    relative[name] = maxRelativeDifference(t.data, o.dataSync(), name);
  }
  for (const name of taps) {
    const t = mine.taps[name];
    const o = other.taps[name];
    if (!t || !o) throw new Error(`tap ${name} missing`);
    const asNhwc = t.ndim === 4 ? noGrad(() => permute(t, [0, 2, 3, 1])) : t;
    relative[name] = maxRelativeDifference(asNhwc.data, o.dataSync(), name);
  }
  nhwc.dispose();
  for (const t of [...Object.values(other.outputs), ...Object.values(other.taps)]) t.dispose();
  return { relative, worst: Math.max(...Object.values(relative)) };
}
