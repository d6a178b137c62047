// Inference-time projection x·Wᵀ + b whose weight stays resident in wasm memory between calls: a decoder's output
// layer called once per search step (or a generator's head) pays the weight's copy and packing once, not per call.
import { ShapeError, ValueError } from '../errors.js';
import { pinMatrix, type PinnedMatrix } from '../kernels/wasm/resident-matrix.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Returned by `pinLinear`. */
export interface PinnedLinear {
  /** x·Wᵀ + b for x [..., in_features]: the same numbers as `linear(x, W, b)`, without autograd. */
  forward(x: Tensor): Tensor;
  /** Releases the resident copy; the object must not be used afterwards. */
  dispose(): void;
}

/**
 * Pin `weight` ([out_features, in_features], PyTorch's Linear layout) and `bias` for repeated inference: float32
 * weights live in wasm memory (packed once) while the kernels are on wasm; otherwise the plain kernels run. The
 * weight must not change while pinned (the copy is not refreshed).
 */
export function pinLinear(weight: Tensor, bias: Tensor | null = null): PinnedLinear {
  if (weight.ndim !== 2)
    throw new ShapeError(`pinLinear: weight must be 2-D [out, in], got ${formatShape(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(`pinLinear: bias must have shape [${outF}], got ${formatShape(bias.shape)}`);
  }
  let pinned: PinnedMatrix | null = pinMatrix(weight.data);
  return {
    forward(x: Tensor): Tensor {
      if (!pinned) throw new ValueError('pinLinear: forward after dispose()');
      if (x.shape[x.ndim - 1] !== inF) {
        throw new ShapeError(
          `pinLinear: input's last dimension must be in_features=${inF}, got input ${formatShape(x.shape)}`,
        );
      }
      if (x.dtype !== weight.dtype) {
        throw new ValueError(`pinLinear: input is ${x.dtype} but the pinned weight is ${weight.dtype}`);
      }
      const rows = x.size / inF;
      const out = allocate(x.dtype, rows * outF);
      if (bias) for (let r = 0; r < rows; r++) out.set(bias.data, r * outF);
      pinned.gemm(false, true, rows, outF, inF, x.data, out, bias !== null);
      return new Tensor(out, [...x.shape.slice(0, -1), outF]);
    },
    dispose(): void {
      pinned?.free();
      pinned = null;
    },
  };
}
