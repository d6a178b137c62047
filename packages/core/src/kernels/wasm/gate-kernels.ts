import { activeWasmKernels } from '../backend.js';
import type { WasmKernels } from './kernels.js';
import { CompanionModule } from './companion-module.js';
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
  additive_scores(
    q: number,
    keys: number,
    v: number,
    S: number,
    H: number,
    tmp: number,
    keep: number,
    out: number,
  ): void;
  additive_scores_backward(
    act: number,
    v: number,
    dScore: number,
    S: number,
    H: number,
    gq: number,
    gk: number,
    gv: number,
  ): void;
}

/** Fused gate kernels bound to one `WasmKernels` instance (they share its memory and heap). */
export interface GateKernels {
  readonly gemm: WasmKernels;
  readonly exports: GateExports;
}

const gateModule = new CompanionModule<GateExports>(LSTM_GATES_WASM_BASE64, LSTM_GATES_SHARED_WASM_BASE64);
const bound = new WeakMap<WasmKernels, GateKernels>();

/** The gate kernels for the active wasm backend, or null when the wasm backend is not active. */
export function activeGateKernels(): GateKernels | null {
  const gemm = activeWasmKernels();
  return gemm ? gateKernelsFor(gemm) : null;
}

/** The gate kernels on a given `WasmKernels` instance's memory (null while the module compiles asynchronously). */
export function gateKernelsFor(gemm: WasmKernels): GateKernels | null {
  const have = bound.get(gemm);
  if (have) return have;
  const exports = gateModule.exportsFor(gemm);
  if (!exports) return null;
  const k: GateKernels = { gemm, exports };
  bound.set(gemm, k);
  return k;
}

/** The variant importing a shared memory, for initWasmThreads' memory (Node compiles any module synchronously). */
export function sharedGateModule(): WebAssembly.Module {
  return gateModule.sharedModule();
}
