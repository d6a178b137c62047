import { ShapeError } from '../../errors.js';
import { WasmHeap, type WasmBuffer } from './heap.js';

/** The exports of gemm.wat. All pointers are byte offsets into `memory`. */
export interface GemmExports {
  memory: WebAssembly.Memory;
  gemm_work_floats(): number;
  gemm(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    A: number,
    B: number,
    C: number,
    accumulate: number,
    work: number,
  ): void;
}

/** A wasm buffer, or a raw byte offset of float32 data already in the kernels' memory. */
export type WasmOperand = WasmBuffer | number;

const ptrOf = (x: WasmOperand): number => (typeof x === 'number' ? x : x.ptr);

/**
 * One instance of the wasm kernels with its memory and heap.
 * Two ways to call: `gemm` on ordinary Float32Arrays (copies in and out), or `gemmResident` on buffers allocated from
 * `heap`, so a caller (e.g. a fused recurrent kernel) can keep weights in wasm memory across many calls.
 */
export class WasmKernels {
  readonly heap: WasmHeap;
  private readonly work: WasmBuffer;
  private staging: WasmBuffer | null = null;

  constructor(private readonly exports: GemmExports) {
    this.heap = new WasmHeap(exports.memory);
    this.work = this.heap.alloc(exports.gemm_work_floats());
  }

  /** C = op(A)·op(B) (+ C when accumulate) on operands already in wasm memory; same conventions as `gemm`. */
  gemmResident(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: WasmOperand,
    B: WasmOperand,
    C: WasmOperand,
    accumulate: boolean,
  ): void {
    this.exports.gemm(+transA, +transB, M, N, K, ptrOf(A), ptrOf(B), ptrOf(C), +accumulate, this.work.ptr);
  }

  /**
   * Row-major float32 GEMM with the same contract as the TypeScript `gemm`. Each operand is either a JS array,
   * staged through wasm memory for this call (C copied back), or a `WasmBuffer` from `heap` used in place — so a
   * recurrent kernel can stage its weights once per sequence and pass only the per-step activations as arrays.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array | WasmBuffer,
    B: Float32Array | WasmBuffer,
    C: Float32Array | WasmBuffer,
    accumulate: boolean,
  ): void {
    const sa = M * K;
    const sb = K * N;
    const sc = M * N;
    if (A.length < sa) throw new ShapeError(`gemm: A needs ${sa} elements (${transA ? `${K}×${M}` : `${M}×${K}`}), got ${A.length}`);
    if (B.length < sb) throw new ShapeError(`gemm: B needs ${sb} elements (${transB ? `${N}×${K}` : `${K}×${N}`}), got ${B.length}`);
    if (C.length < sc) throw new ShapeError(`gemm: C needs ${sc} elements (${M}×${N}), got ${C.length}`);
    // 16-byte aligned staging sections (only for the operands that are JS arrays)
    const oa = 0;
    const ob = oa + (A instanceof Float32Array ? align4(sa) : 0);
    const oc = ob + (B instanceof Float32Array ? align4(sb) : 0);
    const total = oc + (C instanceof Float32Array ? align4(sc) : 0);
    if (total > 0 && (!this.staging || this.staging.length < total)) {
      this.staging?.free();
      this.staging = this.heap.alloc(total);
    }
    const base = this.staging?.ptr ?? 0;
    const f = base >> 2;
    const mem = this.heap.floats();
    const place = (x: Float32Array | WasmBuffer, offset: number, n: number, copyIn: boolean): number => {
      if (!(x instanceof Float32Array)) return x.ptr;
      if (copyIn) mem.set(x.length === n ? x : x.subarray(0, n), f + offset);
      return base + offset * 4;
    };
    const pa = place(A, oa, sa, true);
    const pb = place(B, ob, sb, true);
    const pc = place(C, oc, sc, accumulate);
    this.exports.gemm(+transA, +transB, M, N, K, pa, pb, pc, +accumulate, this.work.ptr);
    if (C instanceof Float32Array) C.set(this.heap.floats().subarray(f + oc, f + oc + sc));
  }

  /** Releases the staging area used by `gemm` (it is re-created on demand). */
  releaseStaging(): void {
    this.staging?.free();
    this.staging = null;
  }
}

const align4 = (n: number): number => (n + 3) & ~3;
