import { GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from './gemm.generated.js';
import { WasmKernels, type GemmExports } from './kernels.js';

let bytes: Uint8Array<ArrayBuffer> | null = null;

/** Bytes of a base64 string (the embedded modules). */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The assembled gemm module (decoded once from the embedded base64). */
export function gemmWasmBytes(): Uint8Array<ArrayBuffer> {
  bytes ??= decodeBase64(GEMM_WASM_BASE64);
  return bytes;
}

/** The gemm module's variant that imports a shared memory (`env.memory`), for initWasmThreads. */
export function gemmSharedWasmBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(GEMM_SHARED_WASM_BASE64);
}

/** True when this engine has WebAssembly with SIMD128 (the module validates). */
export function wasmSimdSupported(): boolean {
  return (
    typeof WebAssembly === 'object' &&
    typeof WebAssembly.validate === 'function' &&
    WebAssembly.validate(gemmWasmBytes())
  );
}

function instantiate(module: WebAssembly.Module): WasmKernels {
  const instance = new WebAssembly.Instance(module, {});
  return new WasmKernels(instance.exports as unknown as GemmExports);
}

/**
 * Compiles and instantiates synchronously. Fine in Node and in workers; browsers refuse synchronous compilation of
 * modules over 4 KB on the main thread, so use `loadWasmKernels` there.
 */
export function loadWasmKernelsSync(): WasmKernels {
  return instantiate(new WebAssembly.Module(gemmWasmBytes()));
}

/** Compiles asynchronously (allowed everywhere) and instantiates. */
export async function loadWasmKernels(): Promise<WasmKernels> {
  return instantiate(await WebAssembly.compile(gemmWasmBytes()));
}
