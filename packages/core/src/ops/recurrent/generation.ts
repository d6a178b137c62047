// Facade over the resident batch-1 LSTM generator (kernels/recurrent/lstm-wasm-generator.ts) for nn/lstm-session.ts:
// not a differentiable op, but the kernel object nn reaches through ops like everything else.
import { activeGateKernels } from '../../kernels/wasm/gate-kernels.js';
import { LstmWasmGenerator, type LstmGeneratorWeights } from '../../kernels/recurrent/lstm-wasm-generator.js';

export type { LstmWasmGenerator, LstmGeneratorWeights } from '../../kernels/recurrent/lstm-wasm-generator.js';

/** Whether `createLstmGenerator` can run now (the WebAssembly SIMD gate kernels are active). */
export function lstmGeneratorReady(): boolean {
  return activeGateKernels() !== null;
}

/** A generator with the weights copied into wasm memory, or null when the gate kernels are not active. */
export function createLstmGenerator(weights: LstmGeneratorWeights): LstmWasmGenerator | null {
  const k = activeGateKernels();
  return k ? new LstmWasmGenerator(k, weights) : null;
}
