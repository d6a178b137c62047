import { Tensor } from '../tensor/tensor.js';
import { allocate, type DType } from '../tensor/dtype.js';
import type { Reduction } from './targets.js';

/**
 * The output of a per-row class loss: the rows themselves ('none', shaped `leadShape`), their sum, or their
 * weighted mean (`total / denom`, PyTorch's mean over the summed weights of non-ignored targets).
 */
export function reduceRows(
  perRow: Float64Array,
  total: number,
  denom: number,
  reduction: Reduction,
  dtype: DType,
  leadShape: readonly number[],
): Tensor {
  if (reduction === 'none') {
    const d = allocate(dtype, perRow.length);
    d.set(perRow);
    return new Tensor(d, leadShape);
  }
  const d = allocate(dtype, 1);
  d[0] = reduction === 'sum' ? total : total / denom;
  return new Tensor(d, []);
}

/** The upstream gradient that reaches row `i` of a loss reduced by `reduceRows`. */
export function rowGradScale(g: Tensor, i: number, reduction: Reduction, denom: number): number {
  return reduction === 'none' ? g.data[i]! : reduction === 'sum' ? g.data[0]! : g.data[0]! / denom;
}
