import type { Storage } from '../../tensor/dtype.js';
import { gemm } from '../gemm.js';
import { activeWasmKernels } from '../backend.js';
import type { WasmBuffer } from './heap.js';
import type { WasmKernels } from './kernels.js';

/** A GEMM whose right operand is fixed (see `pinGemmB`). */
export interface PinnedGemm {
  /** C = op(A)·op(B) (+ C when accumulate), B being the pinned operand; same contract as `gemm`. */
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Storage, C: Storage, accumulate: boolean): void;
  /** Releases the wasm copy of B. Required; the object must not be used afterwards. */
  dispose(): void;
}

/**
 * Pins B for many GEMMs in a row (a recurrent weight over the time steps of one sequence): with the wasm backend B is
 * copied into wasm memory once instead of on every call. B must not change until `dispose()`. float64 operands and
 * the TypeScript backend simply call `gemm`, so results match `gemm` exactly either way.
 */
export function pinGemmB(B: Storage): PinnedGemm {
  const wasm: WasmKernels | null = B instanceof Float32Array ? activeWasmKernels() : null;
  let buf: WasmBuffer | null = null;
  if (wasm) {
    buf = wasm.heap.alloc(B.length);
    buf.view().set(B);
  }
  let disposed = false;
  return {
    gemm(transA, transB, M, N, K, A, C, accumulate) {
      if (disposed) throw new Error('PinnedGemm used after dispose()');
      if (buf && wasm && A instanceof Float32Array && C instanceof Float32Array) wasm.gemm(transA, transB, M, N, K, A, buf, C, accumulate);
      else gemm(transA, transB, M, N, K, A, B, C, accumulate);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      buf?.free();
      buf = null;
    },
  };
}
