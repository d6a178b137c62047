import { ValueError } from '../errors.js';
import { loadWasmKernels, loadWasmKernelsSync, wasmSimdSupported } from './wasm/loader.js';
import type { WasmKernels } from './wasm/kernels.js';

/** Where float32 kernels run: portable TypeScript, or WebAssembly SIMD. float64 always runs in TypeScript. */
export type BackendName = 'ts' | 'wasm';

let preferred: BackendName = 'wasm';
let kernels: WasmKernels | null = null;
let failed = false;
let pending: Promise<void> | null = null;

/** Node, Deno and Bun may compile any module synchronously; browsers' main threads may not (over 4 KB). */
function canCompileSync(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Bun?: unknown };
  return !!g.process?.versions?.node || g.Deno !== undefined || g.Bun !== undefined;
}

function trySyncInit(): void {
  if (kernels || failed || !canCompileSync()) return;
  try {
    if (!wasmSimdSupported()) {
      failed = true;
      return;
    }
    kernels = loadWasmKernelsSync();
  } catch {
    failed = true;
  }
}

/**
 * Compiles the WebAssembly SIMD kernels asynchronously (required in browsers before wasm is used; in Node it happens
 * synchronously on first use anyway). Resolves when they are ready, or when wasm is unavailable — then float32
 * kernels keep using the TypeScript fallback; check `isWasmReady()`.
 */
export function initWasm(): Promise<void> {
  if (kernels || failed) return Promise.resolve();
  pending ??= (async () => {
    try {
      if (!wasmSimdSupported()) failed = true;
      else kernels ??= await loadWasmKernels();
    } catch {
      failed = true;
    }
  })();
  return pending;
}

/**
 * Makes `k` the wasm kernels (used by initWasmThreads for its shared-memory instance). Only before the kernels were
 * first created: weights already resident in the old instance's memory would not follow.
 */
export function installWasmKernels(k: WasmKernels): void {
  if (kernels)
    throw new ValueError(
      'initWasmThreads() must run before the wasm kernels are first used (before initWasm() or any float32 product)',
    );
  kernels = k;
  failed = false;
}

/** The wasm kernels if they were already created, without creating them. */
export function existingWasmKernels(): WasmKernels | null {
  return kernels;
}

/** True once the wasm kernels are compiled and usable. */
export function isWasmReady(): boolean {
  return kernels !== null;
}

/**
 * Chooses the backend for float32 kernels. 'wasm' (the default) uses WebAssembly SIMD when it is ready and the TS
 * fallback until then; selecting it explicitly in a browser before `await initWasm()` throws.
 */
export function useBackend(name: BackendName): void {
  if (name !== 'ts' && name !== 'wasm')
    throw new ValueError(`useBackend: expected 'ts' or 'wasm', got ${String(name)}`);
  if (name === 'wasm') {
    trySyncInit();
    if (!kernels) {
      throw new ValueError(
        failed
          ? "useBackend('wasm'): WebAssembly SIMD is not available in this engine"
          : "useBackend('wasm'): the wasm kernels are not compiled yet; await initWasm() first",
      );
    }
  }
  preferred = name;
}

/** The backend float32 kernels run on right now. */
export function getBackend(): BackendName {
  if (preferred === 'wasm') trySyncInit();
  return preferred === 'wasm' && kernels ? 'wasm' : 'ts';
}

/** The wasm kernels when the wasm backend is active (compiling them synchronously in Node), else null. */
export function activeWasmKernels(): WasmKernels | null {
  if (preferred !== 'wasm') return null;
  if (!kernels) trySyncInit();
  return kernels;
}
