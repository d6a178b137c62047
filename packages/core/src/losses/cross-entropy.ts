import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';
import { checkReduction, classTargets, classWeights, rowsOf, type ClassTargets, type Reduction } from './targets.js';
import { reduceRows, rowGradScale } from './reduce-rows.js';
import { stableShift } from './log-softmax.js';

export interface CrossEntropyOptions {
  /** Targets equal to this contribute neither loss nor gradient and are not counted by 'mean' (default -100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: loss = (1−ε)·nll + ε·mean over classes of −log p (PyTorch's label_smoothing). */
  labelSmoothing?: number;
  reduction?: Reduction;
  /** Per-class rescaling weight [C]; 'mean' then divides by the summed weights of the counted targets. */
  weight?: Tensor | ArrayLike<number> | null;
}

/**
 * Cross-entropy between logits [..., C] (classes on the last dimension) and class ids shaped like the
 * logits without that dimension — torch.nn.functional.cross_entropy with the class dimension last.
 * One fused op: a stable log-softmax, the loss, and a hand-written backward (softmax − smoothed one-hot).
 * Returns a scalar, or per-position losses (0 at ignored positions) for reduction 'none'.
 * A 'mean' over only ignored targets is NaN, as in PyTorch.
 */
export function crossEntropy(logits: Tensor, targets: ClassTargets, options: CrossEntropyOptions = {}): Tensor {
  const what = 'crossEntropy';
  const { rows, classes: C, leadShape } = rowsOf(what, logits);
  const ignoreIndex = options.ignoreIndex ?? -100;
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ValueError(`${what}: labelSmoothing must be in [0, 1], got ${eps}`);
  const reduction = checkReduction(what, options.reduction);
  const weight = classWeights(what, options.weight, C);
  const ids = classTargets(what, targets, leadShape, C, ignoreIndex);

  // per row: e_c = exp(z_c − shift) (kept for backward, whose softmax is then e_c / Σe without another exp) and
  // lse = shift + log Σe; log p_c = z_c − lse (logSoftmaxRows' arithmetic, in float64). e is kept in the logits'
  // dtype: the gradient is rounded to it anyway, and a large vocabulary keeps half the memory until backward.
  const z = logits.data;
  const e = allocate(logits.dtype, logits.size);
  const sums = new Float64Array(rows);
  const lse = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const base = i * C;
    const shift = stableShift(z, base, C);
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const v = Math.exp(z[base + c]! - shift);
      e[base + c] = v;
      sum += v;
    }
    sums[i] = sum;
    lse[i] = shift + Math.log(sum);
  }
  let weightSum = 0;
  if (weight) for (let c = 0; c < C; c++) weightSum += weight[c]!;
  else weightSum = C;

  const perRow = new Float64Array(rows);
  let total = 0;
  let denom = 0;
  for (let i = 0; i < rows; i++) {
    const y = ids[i]!;
    if (y === ignoreIndex) continue;
    const base = i * C;
    const l = lse[i]!;
    const wy = weight ? weight[y]! : 1;
    let loss = -wy * (z[base + y]! - l);
    if (eps > 0) {
      let smooth = 0;
      if (weight) for (let c = 0; c < C; c++) smooth -= weight[c]! * (z[base + c]! - l);
      else for (let c = 0; c < C; c++) smooth -= z[base + c]! - l;
      loss = (1 - eps) * loss + (eps / C) * smooth;
    }
    perRow[i] = loss;
    total += loss;
    denom += wy;
  }

  const out = reduceRows(perRow, total, denom, reduction, logits.dtype, leadShape);

  return attach(out, 'cross_entropy', [logits], (g) => {
    const grad = allocate(logits.dtype, logits.size);
    for (let i = 0; i < rows; i++) {
      const y = ids[i]!;
      if (y === ignoreIndex) continue;
      const scale = rowGradScale(g, i, reduction, denom);
      if (scale === 0) continue;
      const base = i * C;
      const wy = weight ? weight[y]! : 1;
      // d loss_i / d z_j = A·p_j − coef_j with coef_c = (ε/C)·w_c + [c = y]·(1−ε)·w_y and A = Σ_c coef_c.
      const hard = (1 - eps) * wy;
      const soft = eps / C;
      const A = hard + soft * weightSum;
      const sum = sums[i]!;
      if (!weight && eps === 0) {
        for (let c = 0; c < C; c++) grad[base + c] = scale * (A * (e[base + c]! / sum));
        grad[base + y] = scale * (A * (e[base + y]! / sum) - hard);
        continue;
      }
      for (let c = 0; c < C; c++) {
        const coef = soft * (weight ? weight[c]! : 1) + (c === y ? hard : 0);
        grad[base + c] = scale * (A * (e[base + c]! / sum) - coef);
      }
    }
    return [new Tensor(grad, logits.shape)];
  });
}
