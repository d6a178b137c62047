import type { Storage } from '../../tensor/dtype.js';
import { gemm, WASM_GEMM_MIN_WORK } from '../gemm.js';
import { activeWasmKernels } from '../backend.js';
import type { WasmBuffer } from './heap.js';
import type { PackedB, WasmKernels } from './kernels.js';

/** A GEMM whose right operand is fixed (see `pinGemmB`). */
export interface PinnedGemm {
  /** C = op(A)·op(B) (+ C when accumulate), B being the pinned operand; same contract as `gemm`. */
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, A: Storage, C: Storage, accumulate: boolean): void;
  /** Releases the wasm copy of B. Required; the object must not be used afterwards. */
  dispose(): void;
}

/**
 * Pins B for many GEMMs in a row (a recurrent weight over the time steps of one sequence): with the wasm backend B is
 * copied into wasm memory and packed into the kernel's layout once (per transB/N/K used) instead of on every call.
 * B must not change until `dispose()`. float64 operands and the TypeScript backend simply call `gemm`; results are
 * bit-identical to `gemm`'s (same kernels, same summation order).
 */
export function pinGemmB(B: Storage): PinnedGemm {
  const wasm: WasmKernels | null = B instanceof Float32Array ? activeWasmKernels() : null;
  let buf: WasmBuffer | null = null;
  if (wasm) {
    buf = wasm.heap.alloc(B.length);
    buf.view().set(B);
  }
  const packed = new Map<string, PackedB>();
  let disposed = false;
  return {
    gemm(transA, transB, M, N, K, A, C, accumulate) {
      if (disposed) throw new Error('PinnedGemm used after dispose()');
      if (!(buf && wasm && A instanceof Float32Array && C instanceof Float32Array) || M * N * K < WASM_GEMM_MIN_WORK) {
        gemm(transA, transB, M, N, K, A, B, C, accumulate);
        return;
      }
      if (M === 1) {
        // the single-row path reads B as stored (no packing), so the raw resident copy is the fast one
        wasm.gemm(transA, transB, M, N, K, A, buf, C, accumulate);
        return;
      }
      const key = `${+transB}:${N}:${K}`;
      let p = packed.get(key);
      if (!p) {
        p = wasm.packB(transB, N, K, buf);
        packed.set(key, p);
      }
      wasm.gemmPrepacked(transA, M, N, K, A, p, C, accumulate);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const p of packed.values()) p.free();
      packed.clear();
      buf?.free();
      buf = null;
    },
  };
}
