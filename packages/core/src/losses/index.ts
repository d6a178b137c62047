export { crossEntropy, type CrossEntropyOptions } from './cross-entropy.js';
export { nllLoss, type NllLossOptions } from './nll.js';
export { bceWithLogits, type BceWithLogitsOptions } from './bce.js';
export { mseLoss, type MseLossOptions } from './mse.js';
export type { Reduction, ClassTargets } from './targets.js';
