// What nn/ reaches recurrence through (the facade of ops/recurrent): the fused op, its configuration and hooks, and
// weights pinned across calls. nn never imports kernels/ directly.
export { runRecurrent, type RecurrentRunArgs, type RecurrentRunResult, type RecurrentWeights } from './run.js';
export { gateCount, type RecurrentMode, type StackConfig, type StackHiddenGradHook } from './stack.js';
export { PinnedRecurrentWeights } from './pinned-weights.js';
export {
  createLstmGenerator,
  lstmGeneratorReady,
  type LstmGeneratorWeights,
  type LstmWasmGenerator,
} from './generation.js';
