// `@recurrent/core/internal`: the kernel layer, for the benchmarks and for code that measures or extends the kernels.
// NOT a stable API — names, signatures and layouts here change without notice. Applications use the main entry.
export { activeWasmKernels } from './kernels/backend.js';
export { gemm, gemmTS, WASM_GEMM_MIN_WORK } from './kernels/gemm.js';
export { WasmKernels, type WasmOperand, type PackedB } from './kernels/wasm/kernels.js';
export { WasmHeap, type WasmBuffer } from './kernels/wasm/heap.js';
export { ResidentMatrix, pinMatrix, type PinnedMatrix } from './kernels/wasm/resident-matrix.js';
