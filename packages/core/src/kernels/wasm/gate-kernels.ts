import { activeWasmKernels } from '../backend.js';
import type { WasmKernels } from './kernels.js';
import { decodeBase64 } from './loader.js';
import { LSTM_GATES_SHARED_WASM_BASE64, LSTM_GATES_WASM_BASE64 } from './lstm_gates.generated.js';

/** The exports of lstm_gates.wat (pointers are byte offsets into the gemm module's memory). */
export interface GateExports {
  lstm_forward_step(
    gates: number,
    rec: number,
    cIn: number,
    cOut: number,
    hOut: number,
    tanhC: number,
    out: number,
    rows: number,
    H: number,
  ): void;
  add_row_bias(m: number, rows: number, cols: number, bias: number): void;
  lstm_backward_step(
    gates: number,
    tanhC: number,
    cIn: number,
    dOut: number,
    dh: number,
    dc: number,
    dG: number,
    rows: number,
    H: number,
  ): void;
  add_f32_to_f64(dst: number, src: number, n: number): void;
  column_sums(m: number, rows: number, cols: number, out: number): void;
  scatter_add_rows(src: number, ids: number, rows: number, cols: number, dst: number): void;
  swap_leading(src: number, dst: number, A: number, B: number, rowBytes: number): void;
}

/** Fused gate kernels bound to one `WasmKernels` instance (they share its memory and heap). */
export interface GateKernels {
  readonly gemm: WasmKernels;
  readonly exports: GateExports;
}

let module: WebAssembly.Module | null = null;
let sharedModule: WebAssembly.Module | null = null;
let compiling = false;
const bound = new WeakMap<WasmKernels, GateKernels>();

/**
 * The gate kernels for the active wasm backend, or null when the wasm backend is not active. The module is small
 * enough (under 4 KB) for synchronous compilation everywhere; if an engine refuses anyway, it is compiled
 * asynchronously and callers use their TypeScript loops until it is ready.
 */
export function activeGateKernels(): GateKernels | null {
  const gemm = activeWasmKernels();
  return gemm ? gateKernelsFor(gemm) : null;
}

/** The gate kernels on a given `WasmKernels` instance's memory (null while the module compiles asynchronously). */
export function gateKernelsFor(gemm: WasmKernels): GateKernels | null {
  const have = bound.get(gemm);
  if (have) return have;
  const mod =
    typeof SharedArrayBuffer !== 'undefined' && gemm.heap.memory.buffer instanceof SharedArrayBuffer
      ? sharedGateModule()
      : gateModule();
  if (!mod) return null;
  const instance = new WebAssembly.Instance(mod, { env: { memory: gemm.heap.memory } });
  const k: GateKernels = { gemm, exports: instance.exports as unknown as GateExports };
  bound.set(gemm, k);
  return k;
}

/**
 * The variant importing a shared memory, for initWasmThreads' memory (Node, which compiles any module synchronously).
 */
export function sharedGateModule(): WebAssembly.Module {
  sharedModule ??= new WebAssembly.Module(decodeBase64(LSTM_GATES_SHARED_WASM_BASE64));
  return sharedModule;
}

/** The ordinary module, or null while an engine that refused synchronous compilation compiles it asynchronously. */
function gateModule(): WebAssembly.Module | null {
  if (module) return module;
  try {
    module = new WebAssembly.Module(decodeBase64(LSTM_GATES_WASM_BASE64));
  } catch {
    if (!compiling) {
      compiling = true;
      void WebAssembly.compile(decodeBase64(LSTM_GATES_WASM_BASE64)).then(
        (m) => {
          module = m;
        },
        () => undefined,
      );
    }
  }
  return module;
}
