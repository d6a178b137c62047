import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { crossEntropy, type CrossEntropyOptions } from '../losses/cross-entropy.js';
import { nllLoss, type NllLossOptions } from '../losses/nll.js';
import { bceWithLogits, type BceWithLogitsOptions } from '../losses/bce.js';
import { mseLoss, type MseLossOptions } from '../losses/mse.js';
import type { ClassTargets } from '../losses/targets.js';

/** Module form of {@link crossEntropy} (torch.nn.CrossEntropyLoss), options fixed at construction. */
export class CrossEntropyLoss extends Module {
  constructor(readonly options: CrossEntropyOptions = {}) {
    super();
  }
  forward(logits: Tensor, targets: ClassTargets): Tensor {
    return crossEntropy(logits, targets, this.options);
  }
}

/** Module form of {@link nllLoss} (torch.nn.NLLLoss). */
export class NLLLoss extends Module {
  constructor(readonly options: NllLossOptions = {}) {
    super();
  }
  forward(logProbs: Tensor, targets: ClassTargets): Tensor {
    return nllLoss(logProbs, targets, this.options);
  }
}

/** Module form of {@link bceWithLogits} (torch.nn.BCEWithLogitsLoss). */
export class BCEWithLogitsLoss extends Module {
  constructor(readonly options: BceWithLogitsOptions = {}) {
    super();
  }
  forward(logits: Tensor, targets: Tensor): Tensor {
    return bceWithLogits(logits, targets, this.options);
  }
}

/** Module form of {@link mseLoss} (torch.nn.MSELoss). */
export class MSELoss extends Module {
  constructor(readonly options: MseLossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}
