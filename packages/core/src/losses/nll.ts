import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { checkReduction, classTargets, classWeights, rowsOf, type ClassTargets, type Reduction } from './targets.js';
import { reduceRows, rowGradScale } from './reduce-rows.js';

export interface NllLossOptions {
  /** Targets equal to this contribute neither loss nor gradient and are not counted by 'mean' (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Per-class rescaling weight [C]; 'mean' then divides by the summed weights of the counted targets. */
  weight?: Tensor | ArrayLike<number> | null;
}

/**
 * Negative log-likelihood of class ids under log-probabilities [..., C] (classes last):
 * loss_i = −w[y_i]·logProbs[i, y_i]; torch.nn.functional.nll_loss with the class dimension last.
 */
export function nllLoss(logProbs: Tensor, targets: ClassTargets, options: NllLossOptions = {}): Tensor {
  const what = 'nllLoss';
  const { rows, classes: C, leadShape } = rowsOf(what, logProbs);
  const ignoreIndex = options.ignoreIndex ?? -100;
  const reduction = checkReduction(what, options.reduction);
  const weight = classWeights(what, options.weight, C);
  const ids = classTargets(what, targets, leadShape, C, ignoreIndex);
  const x = logProbs.data;

  const perRow = new Float64Array(rows);
  let total = 0;
  let denom = 0;
  for (let i = 0; i < rows; i++) {
    const y = ids[i]!;
    if (y === ignoreIndex) continue;
    const wy = weight ? weight[y]! : 1;
    perRow[i] = -wy * x[i * C + y]!;
    total += perRow[i]!;
    denom += wy;
  }
  const out = reduceRows(perRow, total, denom, reduction, logProbs.dtype, leadShape);
  return attach(out, 'nll_loss', [logProbs], (g) => {
    const grad = allocate(logProbs.dtype, logProbs.size);
    for (let i = 0; i < rows; i++) {
      const y = ids[i]!;
      if (y === ignoreIndex) continue;
      const scale = rowGradScale(g, i, reduction, denom);
      grad[i * C + y] = -(weight ? weight[y]! : 1) * scale;
    }
    return [new Tensor(grad, logProbs.shape)];
  });
}
