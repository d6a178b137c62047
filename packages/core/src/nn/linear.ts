import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { linear } from '../ops/matmul.js';
import { kaimingUniformDefault_, uniform_ } from './init.js';
import type { ParameterOptions } from './options.js';

export interface LinearOptions extends ParameterOptions {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
}

/** y = x Wᵀ + b, with `weight` [out, in] and `bias` [out] as in PyTorch. */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(options: LinearOptions) {
    super();
    this.inFeatures = options.inFeatures;
    this.outFeatures = options.outFeatures;
    const dtype = options.dtype;
    this.weight = this.registerParameter(
      'weight',
      kaimingUniformDefault_(zeros([options.outFeatures, options.inFeatures], { dtype }), options.generator),
    );
    if (options.bias ?? true) {
      const bound = options.inFeatures > 0 ? 1 / Math.sqrt(options.inFeatures) : 0;
      this.bias = this.registerParameter(
        'bias',
        uniform_(zeros([options.outFeatures], { dtype }), -bound, bound, options.generator),
      );
    } else {
      this.bias = null;
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
