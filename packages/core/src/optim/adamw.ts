import { Adam, type AdamOptions } from './adam.js';
import type { ParamSource } from './params.js';

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay — each step first shrinks the parameters
 * p ← p·(1 − lr·λ), then applies the Adam update to the raw gradient. weightDecay defaults to 0.01.
 */
export class AdamW extends Adam {
  constructor(params: ParamSource, options: AdamOptions = {}) {
    super(params, options);
  }
}
