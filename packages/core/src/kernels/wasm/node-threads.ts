// Node: both (or more) cores for large float32 products, through worker_threads sharing one wasm memory.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ValueError } from '../../errors.js';
import { existingWasmKernels, installWasmKernels } from '../backend.js';
import { WasmKernels, type GemmExports } from './kernels.js';
import { gemmSharedWasmBytes, wasmSimdSupported } from './loader.js';
import { sharedGateModule } from './gate-kernels.js';
import { GEMM_WORKER_SOURCE, ParallelGemm, SLOT_INTS } from './parallel.js';

/** Pages the shared memory may grow to (4 GiB), as declared by the shared module variant. */
const MAX_PAGES = 65536;

export interface WasmThreadsOptions {
  /** Threads that share large products, the calling thread included (default: os.availableParallelism(), at most 4). */
  threads?: number;
}

/**
 * Starts the wasm kernels on a shared memory with `threads − 1` helper threads, so every large float32 product is
 * split across the cores (by rows of the result; a single-row product by 16-row groups of W) and each LSTM
 * direction's step loops by batch rows; results are bit-identical to one thread. Call it first, instead of
 * initWasm(). Resolves to the thread count in use (1 when wasm SIMD is missing).
 * The helpers are unref'd: they never keep the process alive.
 */
export async function initWasmThreads(options: WasmThreadsOptions = {}): Promise<number> {
  const threads = options.threads ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new ValueError(`initWasmThreads: threads must be an integer in 1..64, got ${threads}`);
  const existing = existingWasmKernels();
  if (existing) {
    if (existing.threads === threads) return threads;
    throw new ValueError(
      `initWasmThreads: the wasm kernels already run on ${existing.threads} thread(s); call initWasmThreads() ` +
        `first, before initWasm() or any float32 product`,
    );
  }
  if (!wasmSimdSupported()) return 1;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const module = await WebAssembly.compile(gemmSharedWasmBytes());
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  const kernels = new WasmKernels(exports);
  const helpers = threads - 1;
  if (helpers > 0) {
    const ctrl = new SharedArrayBuffer(helpers * SLOT_INTS * 4);
    const workers: Worker[] = [];
    for (let slot = 0; slot < helpers; slot++) {
      const work = kernels.heap.alloc(exports.gemm_work_floats());
      const w = new Worker(GEMM_WORKER_SOURCE, {
        eval: true,
        workerData: { module, gateModule: sharedGateModule(), memory, ctrl, slot, work: work.ptr },
      });
      workers.push(w);
    }
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('online', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    for (const w of workers) w.unref();
    kernels.setParallel(new ParallelGemm(ctrl, helpers));
  }
  installWasmKernels(kernels);
  return threads;
}
