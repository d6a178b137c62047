import type { Storage } from '../tensor/dtype.js';
import { activeWasmKernels } from './backend.js';

/** Below this many multiply-adds (M·N·K) staging through wasm memory costs more than it saves. */
export const WASM_GEMM_MIN_WORK = 4096;

/**
 * Row-major GEMM on flat arrays: C (M×N) = op(A) · op(B) (+ C when `accumulate`).
 * op(A) is M×K: A is stored M×K, or K×M when `transA`. op(B) is K×N: B is stored K×N, or N×K when `transB`.
 * float32 products of at least WASM_GEMM_MIN_WORK multiply-adds run on the WebAssembly SIMD kernel when that
 * backend is active (see kernels/backend.ts); everything else runs on the TypeScript kernel `gemmTS`.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Storage,
  B: Storage,
  C: Storage,
  accumulate: boolean,
): void {
  if (
    M * N * K >= WASM_GEMM_MIN_WORK &&
    A instanceof Float32Array &&
    B instanceof Float32Array &&
    C instanceof Float32Array
  ) {
    const wasm = activeWasmKernels();
    if (wasm) {
      wasm.gemm(transA, transB, M, N, K, A, B, C, accumulate);
      return;
    }
  }
  gemmTS(transA, transB, M, N, K, A, B, C, accumulate);
}

/**
 * The portable TypeScript GEMM (same contract as `gemm`); the wasm kernel must give the same numbers within float
 * rounding.
 */
export function gemmTS(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Storage,
  B: Storage,
  C: Storage,
  accumulate: boolean,
): void {
  if (!accumulate) C.fill(0, 0, M * N);
  if (!transA && !transB) {
    for (let i = 0; i < M; i++) {
      const ci = i * N;
      const ai = i * K;
      for (let k = 0; k < K; k++) {
        const a = A[ai + k]!;
        const bk = k * N;
        for (let j = 0; j < N; j++) C[ci + j]! += a * B[bk + j]!;
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < M; i++) {
      const ai = i * K;
      const ci = i * N;
      for (let j = 0; j < N; j++) {
        const bj = j * K;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let k = 0;
        for (; k + 3 < K; k += 4) {
          s0 += A[ai + k]! * B[bj + k]!;
          s1 += A[ai + k + 1]! * B[bj + k + 1]!;
          s2 += A[ai + k + 2]! * B[bj + k + 2]!;
          s3 += A[ai + k + 3]! * B[bj + k + 3]!;
        }
        for (; k < K; k++) s0 += A[ai + k]! * B[bj + k]!;
        C[ci + j]! += s0 + s1 + (s2 + s3);
      }
    }
  } else if (transA && !transB) {
    for (let k = 0; k < K; k++) {
      const ak = k * M;
      const bk = k * N;
      for (let i = 0; i < M; i++) {
        const a = A[ak + i]!;
        const ci = i * N;
        for (let j = 0; j < N; j++) C[ci + j]! += a * B[bk + j]!;
      }
    }
  } else {
    for (let i = 0; i < M; i++) {
      const ci = i * N;
      for (let j = 0; j < N; j++) {
        const bj = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[k * M + i]! * B[bj + k]!;
        C[ci + j]! += s;
      }
    }
  }
}
