import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { conv2d, pair2d, type Size2d } from '../ops/conv.js';
import { kaimingUniformDefault_, uniform_ } from './init.js';
import type { ParameterOptions } from './options.js';
import { ValueError } from '../errors.js';

export interface Conv2dModuleOptions extends ParameterOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: Size2d;
  stride?: Size2d;
  padding?: Size2d;
  dilation?: Size2d;
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * 2-D convolution layer over NCHW input, as torch.nn.Conv2d: `weight` [out, in/groups, kH, kW] and `bias` [out], both
 * initialised U(−1/√fan_in, 1/√fan_in) with fan_in = in/groups·kH·kW (PyTorch's kaiming_uniform(a=√5) default).
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(options: Conv2dModuleOptions) {
    super();
    const { inChannels, outChannels } = options;
    const groups = options.groups ?? 1;
    for (const [name, v] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['groups', groups],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError(`Conv2d: ${name} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ValueError(
        `Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) ` +
          `must both be divisible by groups (${groups})`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    this.kernelSize = pair2d(options.kernelSize, 'Conv2d kernelSize', 1);
    this.stride = pair2d(options.stride ?? 1, 'Conv2d stride', 1);
    this.padding = pair2d(options.padding ?? 0, 'Conv2d padding', 0);
    this.dilation = pair2d(options.dilation ?? 1, 'Conv2d dilation', 1);
    const [kH, kW] = this.kernelSize;
    const dtype = options.dtype;
    this.weight = this.registerParameter(
      'weight',
      kaimingUniformDefault_(zeros([outChannels, inChannels / groups, kH, kW], { dtype }), options.generator),
    );
    if (options.bias ?? true) {
      const bound = 1 / Math.sqrt((inChannels / groups) * kH * kW);
      this.bias = this.registerParameter(
        'bias',
        uniform_(zeros([outChannels], { dtype }), -bound, bound, options.generator),
      );
    } else {
      this.bias = null;
    }
  }

  /** x [N, inChannels, H, W] (or [inChannels, H, W]) → [N, outChannels, oH, oW]. */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
