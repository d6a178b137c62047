import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  maxPool2d,
  type AdaptiveSize,
  type AvgPool2dOptions,
  type MaxPool2dOptions,
} from '../ops/pool.js';
import { ValueError } from '../errors.js';

/** 2-D max pooling layer (torch.nn.MaxPool2d); see `maxPool2d` for the options and tie rule. */
export class MaxPool2d extends Module {
  readonly options: Readonly<MaxPool2dOptions>;

  constructor(options: MaxPool2dOptions) {
    super();
    this.options = { ...options };
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/** 2-D average pooling layer (torch.nn.AvgPool2d); see `avgPool2d`. */
export class AvgPool2d extends Module {
  readonly options: Readonly<AvgPool2dOptions>;

  constructor(options: AvgPool2dOptions) {
    super();
    this.options = { ...options };
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}

export interface AdaptiveAvgPool2dOptions {
  /** Output [h, w], or one number for both; null keeps that input dimension. */
  outputSize: AdaptiveSize;
}

/** Adaptive average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); `outputSize: 1` pools globally. */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize;

  constructor(options: AdaptiveAvgPool2dOptions) {
    super();
    if (options.outputSize === undefined) throw new ValueError('AdaptiveAvgPool2d: outputSize is required');
    this.outputSize = options.outputSize;
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
