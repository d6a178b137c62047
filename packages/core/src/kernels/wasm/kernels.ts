import { ShapeError } from '../../errors.js';
import { WasmHeap, type WasmBuffer } from './heap.js';
import { JOB_GEMM_ROWS, JOB_GEMV16, PARALLEL_MIN_MACS, jobRunner, splitRange, type ParallelGemm } from './parallel.js';

/** Single-row products (gemv16) of at least this many multiply-adds are split across helper threads. */
const GEMV16_PARALLEL_MIN = 1 << 17;

/** The exports of gemm.wat. All pointers are byte offsets into `memory`. */
export interface GemmExports {
  memory: WebAssembly.Memory;
  gemm_work_floats(): number;
  pack_b(transB: number, N: number, K: number, B: number, dst: number): void;
  gemm_prepacked(
    transA: number,
    M: number,
    N: number,
    K: number,
    A: number,
    packedB: number,
    C: number,
    accumulate: number,
    work: number,
  ): void;
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
  gemv16(A: number, W16: number, C: number, N: number, K: number, accumulate: number): void;
  interleave16(src: number, dst: number, N: number, K: number): void;
  gemm_rows(
    transA: number,
    transB: number,
    M: number,
    m0: number,
    m1: number,
    N: number,
    K: number,
    A: number,
    B: number,
    C: number,
    accumulate: number,
    work: number,
    prepacked: number,
  ): void;
}

/** A wasm buffer, or a raw byte offset of float32 data already in the kernels' memory. */
export type WasmOperand = WasmBuffer | number;

const ptrOf = (x: WasmOperand): number => (typeof x === 'number' ? x : x.ptr);

/** op(B) packed once for many products (see `WasmKernels.packB`); owns its wasm memory until `free()`. */
export interface PackedB {
  readonly N: number;
  readonly K: number;
  readonly buffer: WasmBuffer;
  free(): void;
}

/**
 * One instance of the wasm kernels with its memory and heap.
 * Two ways to call: `gemm` on ordinary Float32Arrays (copies in and out), or `gemmResident` on buffers allocated from
 * `heap`, so a caller (e.g. a fused recurrent kernel) can keep weights in wasm memory across many calls.
 */
export class WasmKernels {
  readonly heap: WasmHeap;
  private readonly work: WasmBuffer;
  private staging: WasmBuffer | null = null;
  /** Helper threads on the same (shared) memory, when set up by initWasmThreads. */
  private parallel: ParallelGemm | null = null;
  /** Products split across threads so far (diagnostics). */
  splitProducts = 0;

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
    this.run(+transA, +transB, M, N, K, ptrOf(A), ptrOf(B), ptrOf(C), +accumulate, 0);
  }

  /**
   * W [N, K] (N a multiple of 16) copied into the 16-row interleaved layout `gemv16` reads:
   * W16[g][k][r] = W[16g + r][k].
   */
  interleave16(W: Float32Array | WasmBuffer, N: number, K: number): WasmBuffer {
    if (N % 16 !== 0) throw new ShapeError(`interleave16: N must be a multiple of 16, got ${N}`);
    if (W.length < N * K) throw new ShapeError(`interleave16: W needs ${N * K} elements (${N}×${K}), got ${W.length}`);
    const buf = this.heap.alloc(N * K);
    let src: WasmBuffer | null = null;
    if (W instanceof Float32Array) {
      src = this.heap.alloc(N * K);
      src.view().set(W.length === N * K ? W : W.subarray(0, N * K));
    }
    this.exports.interleave16(src ? src.ptr : (W as WasmBuffer).ptr, buf.ptr, N, K);
    src?.free();
    return buf;
  }

  /** C = (C +) A·Wᵀ for one row A [K], W from `interleave16` ([N, K]); every C[n] summed over k in order. */
  gemv16(A: WasmOperand, W16: WasmBuffer, C: WasmOperand, N: number, K: number, accumulate: boolean): void {
    const pa = ptrOf(A);
    const pc = ptrOf(C);
    // W (4·N·K bytes) is streamed from the last-level cache every call; two cores stream twice as much, so with
    // helpers large products are split by 16-row groups (each group's rows are summed exactly as unsplit)
    const args = (g0: number, g1: number): [number, number, number, number, number, number] => [
      pa,
      W16.ptr + g0 * K * 64,
      pc + g0 * 64,
      (g1 - g0) * 16,
      K,
      +accumulate,
    ];
    if (
      N * K >= GEMV16_PARALLEL_MIN &&
      this.splitRows(N >> 4, 1, JOB_GEMV16, args, (g0, g1) => this.exports.gemv16(...args(g0, g1)), this.runHere)
    )
      return;
    this.exports.gemv16(pa, W16.ptr, pc, N, K, +accumulate);
  }

  /** Runs a GEMM job whose helper has not started it, on this thread. */
  private readonly runHere = (c: Int32Array): void =>
    jobRunner()(this.exports, null, c, this.work.ptr, this.heap.memory);

  /**
   * Runs a job over rows [0, rows) whose rows are independent, split across the threads: helper h gets its range as
   * `job` with arguments `args(r0, r1)`; the caller runs the first range with `local(r0, r1)`, then any job no helper
   * has started with `stolen(slot)`. Returns false, having run nothing, when there are no helpers.
   */
  splitRows(
    rows: number,
    align: number,
    job: number,
    args: (r0: number, r1: number) => number[],
    local: (r0: number, r1: number) => void,
    stolen: (c: Int32Array) => void,
  ): boolean {
    const par = this.parallel;
    if (!par) return false;
    const ranges = splitRange(rows, par.threads, align);
    par.begin();
    for (let h = 1; h < ranges.length; h++) par.post(h - 1, args(ranges[h]![0], ranges[h]![1]), job);
    local(ranges[0]![0], ranges[0]![1]);
    par.wait(ranges.length - 1, stolen);
    this.splitProducts++;
    return true;
  }

  /** The caller thread's gemm work buffer (byte offset), for row loops that call gemm_rows themselves. */
  get workPtr(): number {
    return this.work.ptr;
  }

  /** The raw exports (for row loops shared with the helper threads). */
  get rawExports(): GemmExports {
    return this.exports;
  }

  /** Lets products use helper threads (their instances share this memory); null goes back to one thread. */
  setParallel(p: ParallelGemm | null): void {
    this.parallel = p;
  }

  /** Threads a large product is split across (1 without helpers). */
  get threads(): number {
    return this.parallel ? this.parallel.threads : 1;
  }

  /**
   * One product on pointers: split by rows of C across the helper threads when it is large enough, else in one
   * call. Every element comes out bit-identical either way.
   */
  private run(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    pa: number,
    pb: number,
    pc: number,
    acc: number,
    prepacked: number,
  ): void {
    // Split only when each thread gets a real share: products whose B is unpacked are re-packed by every thread,
    // so those need more rows — measured: 65 rows (a 65-class head's weight gradient, K = 2048) split 1.56 →
    // 0.84 ms on two threads (single-row products are not split here; gemv16 splits by row groups).
    if (M * N * K >= PARALLEL_MIN_MACS && M >= (prepacked ? 8 : 32)) {
      const split = this.splitRows(
        M,
        4,
        JOB_GEMM_ROWS,
        (m0, m1) => [transA, transB, M, m0, m1, N, K, pa, pb, pc, acc, prepacked],
        (m0, m1) => this.exports.gemm_rows(transA, transB, M, m0, m1, N, K, pa, pb, pc, acc, this.work.ptr, prepacked),
        this.runHere,
      );
      if (split) return;
    }
    if (prepacked) this.exports.gemm_prepacked(transA, M, N, K, pa, pb, pc, acc, this.work.ptr);
    else this.exports.gemm(transA, transB, M, N, K, pa, pb, pc, acc, this.work.ptr);
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
    const sb = K * N;
    if (B.length < sb)
      throw new ShapeError(`gemm: B needs ${sb} elements (${transB ? `${N}×${K}` : `${K}×${N}`}), got ${B.length}`);
    this.staged(transA, M, N, K, A, B, C, accumulate, (pa, pb, pc) =>
      this.run(+transA, +transB, M, N, K, pa, pb, pc, +accumulate, 0),
    );
  }

  /**
   * Packs op(B) (K×N; B stored N×K when `transB`) once into the kernel's internal layout, for `gemmPrepacked` —
   * a weight used for many products (every time step of a sequence) then skips both the copy and the packing.
   */
  packB(transB: boolean, N: number, K: number, B: Float32Array | WasmBuffer): PackedB {
    if (B.length < N * K)
      throw new ShapeError(`packB: B needs ${N * K} elements (${transB ? `${N}×${K}` : `${K}×${N}`}), got ${B.length}`);
    const buffer = this.heap.alloc(Math.ceil(N / 8) * 8 * K);
    let src: WasmBuffer | null = null;
    if (B instanceof Float32Array) {
      src = this.heap.alloc(N * K);
      src.view().set(B.length === N * K ? B : B.subarray(0, N * K));
    }
    this.exports.pack_b(+transB, N, K, src ? src.ptr : (B as WasmBuffer).ptr, buffer.ptr);
    src?.free();
    let freed = false;
    return {
      N,
      K,
      buffer,
      free: () => {
        if (!freed) buffer.free();
        freed = true;
      },
    };
  }

  /** C = op(A)·op(B) (+ C when accumulate) with op(B) from `packB`; A and C as in `gemm`. */
  gemmPrepacked(
    transA: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array | WasmBuffer,
    B: PackedB,
    C: Float32Array | WasmBuffer,
    accumulate: boolean,
  ): void {
    if (B.N !== N || B.K !== K)
      throw new ShapeError(`gemmPrepacked: B was packed as ${B.K}×${B.N}, the product needs ${K}×${N}`);
    this.staged(transA, M, N, K, A, B.buffer, C, accumulate, (pa, pb, pc) =>
      this.run(+transA, 0, M, N, K, pa, pb, pc, +accumulate, 1),
    );
  }

  /** `gemmPrepacked` on operands already in wasm memory (buffers or byte offsets): nothing staged or copied. */
  gemmPrepackedResident(
    transA: boolean,
    M: number,
    N: number,
    K: number,
    A: WasmOperand,
    B: PackedB,
    C: WasmOperand,
    accumulate: boolean,
  ): void {
    if (B.N !== N || B.K !== K)
      throw new ShapeError(`gemmPrepackedResident: B was packed as ${B.K}×${B.N}, the product needs ${K}×${N}`);
    this.run(+transA, 0, M, N, K, ptrOf(A), B.buffer.ptr, ptrOf(C), +accumulate, 1);
  }

  /** Validates A and C, stages the operands that are JS arrays, runs `call` on the pointers, copies C back. */
  private staged(
    transA: boolean,
    M: number,
    N: number,
    K: number,
    A: Float32Array | WasmBuffer,
    B: Float32Array | WasmBuffer,
    C: Float32Array | WasmBuffer,
    accumulate: boolean,
    call: (pa: number, pb: number, pc: number) => void,
  ): void {
    const sa = M * K;
    const sb = K * N;
    const sc = M * N;
    if (A.length < sa)
      throw new ShapeError(`gemm: A needs ${sa} elements (${transA ? `${K}×${M}` : `${M}×${K}`}), got ${A.length}`);
    if (C.length < sc) throw new ShapeError(`gemm: C needs ${sc} elements (${M}×${N}), got ${C.length}`);
    // 16-byte aligned staging sections, only for the operands that are JS arrays
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
    let pa: number;
    let pb: number;
    let pc: number;
    if (A instanceof Float32Array) {
      mem.set(A.length === sa ? A : A.subarray(0, sa), f + oa);
      pa = base + oa * 4;
    } else pa = A.ptr;
    if (B instanceof Float32Array) {
      mem.set(B.length === sb ? B : B.subarray(0, sb), f + ob);
      pb = base + ob * 4;
    } else pb = B.ptr;
    if (C instanceof Float32Array) {
      if (accumulate) mem.set(C.length === sc ? C : C.subarray(0, sc), f + oc);
      pc = base + oc * 4;
    } else pc = C.ptr;
    call(pa, pb, pc);
    if (C instanceof Float32Array) C.set(this.heap.floats().subarray(f + oc, f + oc + sc));
  }

  /** Releases the staging area used by `gemm` (it is re-created on demand). */
  releaseStaging(): void {
    this.staging?.free();
    this.staging = null;
  }
}

const align4 = (n: number): number => (n + 3) & ~3;
