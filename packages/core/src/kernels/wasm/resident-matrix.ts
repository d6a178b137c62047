// The one way core keeps a weight resident in wasm memory (issue 12): a `ResidentMatrix` is a float32 matrix copied
// into the kernels' memory once, with the layouts products want made on first use and kept until `free()` — packed
// for multi-row GEMMs (per transB/N/K) and 16-row interleaved for single-row ones (gemv16). A recurrent layer's W_hh
// over the steps of one sequence (`pinMatrix`), an LSTM's weights pinned across calls (`ResidentLstmWeights`) and a
// generation session's embedding, LSTM and head weights are all ResidentMatrix objects.
import type { Storage } from '../../tensor/dtype.js';
import { gemm, WASM_GEMM_MIN_WORK } from '../gemm.js';
import { activeWasmKernels } from '../backend.js';
import type { WasmBuffer } from './heap.js';
import type { PackedB, WasmKernels } from './kernels.js';

/** A GEMM whose right operand B is fixed (see `pinMatrix`). */
export interface PinnedMatrix {
  /** C = op(A)·op(B) (+ C when accumulate), B being the pinned operand; same contract as `gemm`. */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Storage,
    C: Storage,
    accumulate: boolean,
  ): void;
  /** Releases the wasm copies of B. Required; the object must not be used afterwards. */
  free(): void;
}

/** A float32 matrix resident in one `WasmKernels` instance's memory, with its product layouts made on demand. */
export class ResidentMatrix implements PinnedMatrix {
  /** The matrix as stored (row-major, `length` floats). */
  readonly raw: WasmBuffer;
  private readonly packs = new Map<string, PackedB>();
  private interleaved: WasmBuffer | null = null;
  private freed = false;

  /** Copies the first `length` floats of `data` (all of it by default) into `wasm`'s memory. */
  constructor(
    readonly wasm: WasmKernels,
    readonly data: Float32Array,
    readonly length: number = data.length,
  ) {
    this.raw = wasm.heap.alloc(length);
    this.raw.view().set(length === data.length ? data : data.subarray(0, length));
  }

  /** op(B) packed for `gemmPrepacked` (B read as N×K when transB, else K×N), made once per (transB, N, K). */
  packed(transB: boolean, N: number, K: number): PackedB {
    this.check();
    const key = `${+transB}:${N}:${K}`;
    let p = this.packs.get(key);
    if (!p) {
      p = this.wasm.packB(transB, N, K, this.raw);
      this.packs.set(key, p);
    }
    return p;
  }

  /** B read as [N, K] in gemv16's 16-row interleaved layout, made once; null when N is not a multiple of 16. */
  interleaved16(N: number, K: number): WasmBuffer | null {
    this.check();
    if (N % 16 !== 0) return null;
    this.interleaved ??= this.wasm.interleave16(this.raw, N, K);
    return this.interleaved;
  }

  /**
   * C = op(A)·op(B) (+ C) on JS arrays, bit-identical to `gemm`'s: small products take `gemm` itself, a single row
   * reads the raw copy (no packing), more rows the packed one.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Storage,
    C: Storage,
    accumulate: boolean,
  ): void {
    this.check();
    if (!(A instanceof Float32Array && C instanceof Float32Array) || M * N * K < WASM_GEMM_MIN_WORK) {
      gemm(transA, transB, M, N, K, A, this.data, C, accumulate);
    } else if (M === 1) {
      this.wasm.gemm(transA, transB, M, N, K, A, this.raw, C, accumulate);
    } else {
      this.wasm.gemmPrepacked(transA, M, N, K, A, this.packed(transB, N, K), C, accumulate);
    }
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    for (const p of this.packs.values()) p.free();
    this.packs.clear();
    this.interleaved?.free();
    this.interleaved = null;
    this.raw.free();
  }

  private check(): void {
    if (this.freed) throw new Error('ResidentMatrix used after free()');
  }
}

/** `pinMatrix` off the wasm backend (or for float64): every product is a plain `gemm`. */
class HostMatrix implements PinnedMatrix {
  private freed = false;
  constructor(private readonly data: Storage) {}

  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Storage,
    C: Storage,
    accumulate: boolean,
  ): void {
    if (this.freed) throw new Error('PinnedMatrix used after free()');
    gemm(transA, transB, M, N, K, A, this.data, C, accumulate);
  }

  free(): void {
    this.freed = true;
  }
}

/**
 * Pins B for many GEMMs in a row (a recurrent weight over the time steps of one sequence): a `ResidentMatrix` on the
 * wasm backend for float32 B, else plain `gemm` calls. B must not change until `free()`; results are bit-identical to
 * `gemm`'s (same kernels, same summation order).
 */
export function pinMatrix(B: Storage): PinnedMatrix {
  const wasm = B instanceof Float32Array ? activeWasmKernels() : null;
  return wasm ? new ResidentMatrix(wasm, B as Float32Array) : new HostMatrix(B);
}
