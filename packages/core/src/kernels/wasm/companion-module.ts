import { activeWasmKernels } from '../backend.js';
import type { WasmKernels } from './kernels.js';
import { decodeBase64 } from './loader.js';

/**
 * A small wasm module that imports the gemm module's memory (`env.memory`) — the LSTM gate kernels, the depthwise
 * convolution — embedded as base64 in two variants: one for an ordinary memory and one for initWasmThreads' shared
 * memory. Small enough (under 4 KB) for synchronous compilation everywhere; if an engine refuses anyway, it is
 * compiled asynchronously and `exportsFor` returns null (callers use their TypeScript loops) until it is ready.
 */
export class CompanionModule<E> {
  private plain: WebAssembly.Module | null = null;
  private shared: WebAssembly.Module | null = null;
  private compiling = false;
  private readonly bound = new WeakMap<WasmKernels, E>();

  constructor(
    private readonly base64: string,
    private readonly sharedBase64: string,
  ) {}

  /** The module's exports instantiated on a `WasmKernels` instance's memory (null while compiling). */
  exportsFor(gemm: WasmKernels): E | null {
    const have = this.bound.get(gemm);
    if (have) return have;
    const mod =
      typeof SharedArrayBuffer !== 'undefined' && gemm.heap.memory.buffer instanceof SharedArrayBuffer
        ? this.sharedModule()
        : this.plainModule();
    if (!mod) return null;
    const instance = new WebAssembly.Instance(mod, { env: { memory: gemm.heap.memory } });
    const exports = instance.exports as unknown as E;
    this.bound.set(gemm, exports);
    return exports;
  }

  /**
   * The active wasm backend's kernels with this module's exports on its memory; null when the wasm backend is not
   * active or the module is still compiling (the caller then runs its TypeScript loop).
   */
  active(): { gemm: WasmKernels; k: E } | null {
    const gemm = activeWasmKernels();
    const k = gemm ? this.exportsFor(gemm) : null;
    return gemm && k ? { gemm, k } : null;
  }

  /** The variant importing a shared memory (Node compiles any module synchronously). */
  sharedModule(): WebAssembly.Module {
    this.shared ??= new WebAssembly.Module(decodeBase64(this.sharedBase64));
    return this.shared;
  }

  private plainModule(): WebAssembly.Module | null {
    if (this.plain) return this.plain;
    try {
      this.plain = new WebAssembly.Module(decodeBase64(this.base64));
    } catch {
      if (!this.compiling) {
        this.compiling = true;
        void WebAssembly.compile(decodeBase64(this.base64)).then(
          (m) => {
            this.plain = m;
          },
          () => undefined,
        );
      }
    }
    return this.plain;
  }
}
