export { Optimizer, type OptimizerStateDict, type ParamState, type HyperValue } from './optimizer.js';
export type { ParamSource } from './params.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export {
  LRScheduler,
  StepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
  LambdaLR,
  WarmupCosineLR,
  type HasLr,
  type SchedulerState,
  type LinearLROptions,
  type WarmupCosineOptions,
} from './schedulers.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip-grad-norm.js';
export {
  optimizerStateToJSON,
  optimizerStateFromJSON,
  optimizerStateToTensors,
  optimizerStateFromTensors,
  type OptimizerStateJSON,
} from './state.js';
