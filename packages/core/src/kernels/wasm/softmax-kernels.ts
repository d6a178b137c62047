import type { WasmBuffer } from './heap.js';
import type { WasmKernels } from './kernels.js';
import { CompanionModule } from './companion-module.js';
import { SOFTMAX_SHARED_WASM_BASE64, SOFTMAX_WASM_BASE64 } from './softmax.generated.js';

/** The exports of softmax.wat (pointers are byte offsets into the gemm module's memory). */
interface SoftmaxExports {
  softmax_row_stats(z: number, rows: number, C: number, stats: number): void;
  softmax_grad_rows(z: number, rows: number, C: number, coefs: number, out: number): void;
}

const softmaxModule = new CompanionModule<SoftmaxExports>(SOFTMAX_WASM_BASE64, SOFTMAX_SHARED_WASM_BASE64);

/** Logits per staged chunk: 256 KB, so a chunk copied in is still in cache when the kernel reads it. */
const CHUNK_FLOATS = 65536;
/** Floats of slack after a staged chunk: a row's last partial vector reads up to 3 floats past it. */
const SLACK = 4;

/** Rows per staged chunk for rows of C classes (at least one). */
function chunkRows(C: number): number {
  return Math.max(1, Math.floor(CHUNK_FLOATS / C));
}

/**
 * Run `body` over chunks of `rows` rows of C logits staged into wasm memory: `logits` (chunk rows × C + slack
 * floats) and `side` (chunk rows × sideFloatsPerRow floats) are allocated once and freed after the last chunk.
 * `body(r0, n, logits, side)` stages its inputs, calls the kernel and reads its outputs for rows r0 … r0 + n − 1.
 */
function forStagedChunks(
  gemm: WasmKernels,
  rows: number,
  C: number,
  sideFloatsPerRow: number,
  body: (r0: number, n: number, logits: WasmBuffer, side: WasmBuffer) => void,
): void {
  const per = chunkRows(C);
  const heap = gemm.heap;
  const logits = heap.alloc(Math.min(rows, per) * C + SLACK);
  const side = heap.alloc(Math.min(rows, per) * sideFloatsPerRow);
  try {
    for (let r0 = 0; r0 < rows; r0 += per) body(r0, Math.min(per, rows - r0), logits, side);
  } finally {
    logits.free();
    side.free();
  }
}

/**
 * Per-row softmax statistics of float32 logits z [rows, C] on the wasm SIMD kernel: stats[3i … 3i+2] = (max of row
 * i, Σ_c exp(z_c − max) with float32 exponentials (≤ 1 ulp) summed in float64, Σ_c z_c in float64). A row whose
 * max is not finite (±∞ or NaN) gets meaningless sums; the caller recomputes it. Returns false (nothing written)
 * when the wasm backend is not active.
 */
export function softmaxRowStatsWasm(z: Float32Array, rows: number, C: number, stats: Float64Array): boolean {
  const active = softmaxModule.active();
  if (!active) return false;
  const { gemm, k } = active;
  const heap = gemm.heap;
  // 3 float64 statistics per row = 6 floats
  forStagedChunks(gemm, rows, C, 6, (r0, n, zb, sb) => {
    heap.floats().set(z.subarray(r0 * C, (r0 + n) * C), zb.ptr >> 2);
    k.softmax_row_stats(zb.ptr, n, C, sb.ptr);
    stats.set(new Float64Array(heap.memory.buffer, sb.ptr, 3 * n), 3 * r0);
  });
  return true;
}

/**
 * The softmax cross-entropy gradient of float32 logits z [rows, C] on the wasm SIMD kernel: out[i, c] =
 * k_i·exp(z[i, c] − shift_i) − s_i with (shift_i, k_i, s_i) = coefs[3i … 3i+2], rounded to float32 (k = s = 0
 * writes a row of zeros). Returns false (nothing written) when the wasm backend is not active.
 */
export function softmaxGradRowsWasm(
  z: Float32Array,
  rows: number,
  C: number,
  coefs: Float32Array,
  out: Float32Array,
): boolean {
  const active = softmaxModule.active();
  if (!active) return false;
  const { gemm, k } = active;
  const heap = gemm.heap;
  forStagedChunks(gemm, rows, C, 3, (r0, n, zb, cb) => {
    const mem = heap.floats();
    mem.set(z.subarray(r0 * C, (r0 + n) * C), zb.ptr >> 2);
    mem.set(coefs.subarray(3 * r0, 3 * (r0 + n)), cb.ptr >> 2);
    k.softmax_grad_rows(zb.ptr, n, C, cb.ptr, zb.ptr);
    out.set(heap.floats().subarray(zb.ptr >> 2, (zb.ptr >> 2) + n * C), r0 * C);
  });
  return true;
}
