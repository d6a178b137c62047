import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate, promote } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { ShapeError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';
import { unbroadcast } from './broadcast.js';

/**
 * Matrix product with PyTorch's rules for 2-D and batched (≥3-D) operands: [..., M, K] @ [..., K, N] → [..., M, N].
 * A 2-D right operand is shared across the batch (x @ W). 1-D operands are not promoted; reshape them first.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim < 2 || b.ndim < 2) {
    throw new ShapeError(
      `matmul needs operands with at least 2 dimensions, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}`,
    );
  }
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const K2 = b.shape[b.ndim - 2]!;
  const N = b.shape[b.ndim - 1]!;
  if (K !== K2) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (expected b.shape[-2] = ` +
        `${K}, got ${K2})`,
    );
  }
  const dtype = promote(a.dtype, b.dtype);
  if (b.ndim === 2) {
    // Fold all leading dims of a into M: one large GEMM.
    const rows = sizeOf(a.shape.slice(0, -1));
    const out = allocate(dtype, rows * N);
    gemm(false, false, rows, N, K, a.data, b.data, out, false);
    const result = new Tensor(out, [...a.shape.slice(0, -1), N]);
    return attach(result, 'matmul', [a, b], (g) => {
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (a.requiresGrad) {
        const d = allocate(dtype, rows * K);
        gemm(false, true, rows, K, N, g.data, b.data, d, false);
        ga = new Tensor(d, a.shape);
      }
      if (b.requiresGrad) {
        const d = allocate(dtype, K * N);
        gemm(true, false, K, N, rows, a.data, g.data, d, false);
        gb = new Tensor(d, b.shape);
      }
      return [ga, gb];
    });
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (batchA.length !== batchB.length || batchA.some((d, i) => d !== batchB[i])) {
    throw new ShapeError(`matmul: batch dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  const batch = sizeOf(batchA);
  const out = allocate(dtype, batch * M * N);
  for (let i = 0; i < batch; i++) {
    gemm(
      false,
      false,
      M,
      N,
      K,
      a.data.subarray(i * M * K, (i + 1) * M * K),
      b.data.subarray(i * K * N, (i + 1) * K * N),
      out.subarray(i * M * N, (i + 1) * M * N),
      false,
    );
  }
  const result = new Tensor(out, [...batchA, M, N]);
  return attach(result, 'bmm', [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      const d = allocate(dtype, batch * M * K);
      for (let i = 0; i < batch; i++) {
        gemm(
          false,
          true,
          M,
          K,
          N,
          g.data.subarray(i * M * N, (i + 1) * M * N),
          b.data.subarray(i * K * N, (i + 1) * K * N),
          d.subarray(i * M * K, (i + 1) * M * K),
          false,
        );
      }
      ga = new Tensor(d, a.shape);
    }
    if (b.requiresGrad) {
      const d = allocate(dtype, batch * K * N);
      for (let i = 0; i < batch; i++) {
        gemm(
          true,
          false,
          K,
          N,
          M,
          a.data.subarray(i * M * K, (i + 1) * M * K),
          g.data.subarray(i * M * N, (i + 1) * M * N),
          d.subarray(i * K * N, (i + 1) * K * N),
          false,
        );
      }
      gb = new Tensor(d, b.shape);
    }
    return [ga, gb];
  });
}

/** x @ Wᵀ + b with W stored [out, in] as in PyTorch's Linear; one GEMM over all leading dims. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const inF = weight.shape[1]!;
  const outF = weight.shape[0]!;
  if (weight.ndim !== 2 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(
      `linear: input's last dimension must be in_features=${inF}, got input ${formatShape(x.shape)} with weight ` +
        `${formatShape(weight.shape)}`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(`linear: bias must have shape [${outF}], got ${formatShape(bias.shape)}`);
  }
  const dtype = promote(x.dtype, weight.dtype);
  const rows = x.size / inF;
  const out = allocate(dtype, rows * outF);
  if (bias) for (let r = 0; r < rows; r++) out.set(bias.data, r * outF);
  gemm(false, true, rows, outF, inF, x.data, weight.data, out, !!bias);
  const result = new Tensor(out, [...x.shape.slice(0, -1), outF]);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return attach(result, 'linear', inputs, (g) => {
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    if (x.requiresGrad) {
      const d = allocate(dtype, rows * inF);
      gemm(false, false, rows, inF, outF, g.data, weight.data, d, false);
      gx = new Tensor(d, x.shape);
    }
    if (weight.requiresGrad) {
      const d = allocate(dtype, outF * inF);
      gemm(true, false, outF, inF, rows, g.data, x.data, d, false);
      gw = new Tensor(d, weight.shape);
    }
    const gb = bias?.requiresGrad ? unbroadcast(g, bias.shape) : null;
    return [gx, gw, gb];
  });
}
