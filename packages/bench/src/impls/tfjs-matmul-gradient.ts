// tfjs-backend-wasm 4.22 runs a matmul with a transpose flag (transposeA / transposeB) about 10× slower than the same
// product on an explicitly transposed operand (measured here for the translator's output layer, [1088, 8000] ×
// [8000, 256]: 1,990 against 222 ms of CPU), and tfjs' own BatchMatMul gradient uses the flags, so every autodiff
// backward product takes the slow path. A tfjs user who knows this can register the same gradient written with
// explicit transposes — what `useTransposingMatMulGradient` does (for the W3 peer's fastest variant).
import * as tf from '@tensorflow/tfjs';

/** Transpose of the last two axes. */
function t(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  return tf.transpose(x, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
}

/**
 * tfjs' BatchMatMul gradient with explicit transposes. Batch dimensions must match (no broadcasting), as in the
 * translator; other shapes throw.
 */
export const TRANSPOSING_MATMUL_GRADIENT: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (a.rank !== b.rank || a.shape.slice(0, -2).join() !== b.shape.slice(0, -2).join())
      throw new Error(`transposing matMul gradient: batch shapes differ, [${a.shape}] and [${b.shape}]`);
    const g = dy as tf.Tensor;
    const mm = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y);
    if (!transposeA && !transposeB) return { a: () => mm(g, t(b)), b: () => mm(t(a), g) };
    if (!transposeA && transposeB) return { a: () => mm(g, b), b: () => mm(t(g), a) };
    if (transposeA && !transposeB) return { a: () => mm(b, t(g)), b: () => mm(a, g) };
    return { a: () => mm(t(b), t(g)), b: () => mm(t(g), t(a)) };
  },
};

/** Use TRANSPOSING_MATMUL_GRADIENT for every matMul gradient of this process (tfjs keeps one gradient per kernel). */
export function useTransposingMatMulGradient(): void {
  tf.registerGradient(TRANSPOSING_MATMUL_GRADIENT);
}
