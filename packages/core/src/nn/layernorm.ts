import { Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import { ones, zeros } from '../tensor/creation.js';
import { layerNorm } from '../ops/layernorm.js';
import type { DType } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';

export interface LayerNormOptions {
  /** Size of the trailing dimension(s) to normalise over. */
  normalizedShape: number | readonly number[];
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale `weight` (ones) and shift `bias` (zeros); default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn `bias` (default true). */
  bias?: boolean;
  dtype?: DType;
}

/** Layer normalisation over the trailing `normalizedShape` dims (torch.nn.LayerNorm), with `weight` and `bias`. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(options: LayerNormOptions) {
    super();
    const shape =
      typeof options.normalizedShape === 'number' ? [options.normalizedShape] : [...options.normalizedShape];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ValueError(
        `LayerNorm: normalizedShape must be one or more positive integers, got ` +
          `${JSON.stringify(options.normalizedShape)}`,
      );
    }
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    if (!(this.eps >= 0)) throw new ValueError(`LayerNorm: eps must be a non-negative number, got ${this.eps}`);
    const affine = options.elementwiseAffine ?? true;
    const dtype = options.dtype;
    this.weight = affine ? this.registerParameter('weight', ones(shape, { dtype })) : null;
    this.bias = affine && (options.bias ?? true) ? this.registerParameter('bias', zeros(shape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
