import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { ValueError } from '../errors.js';
import { checkReduction, classTargets, classWeights, rowsOf, type ClassTargets, type Reduction } from './targets.js';
import { reduceRows, rowGradScale } from './reduce-rows.js';
import { softmaxRowStats } from './softmax-stats.js';
import { softmaxGradRowsWasm } from '../kernels/wasm/softmax-kernels.js';

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
 * One fused op: per-row softmax statistics (max, Σ exp, Σ z — no log-softmax copy is kept), the loss, and a
 * hand-written backward writing softmax − smoothed one-hot straight into the gradient; float32 logits of at least
 * 4,096 values run both passes on the wasm SIMD kernel (kernels/wasm/softmax.wat) when the wasm backend is active.
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

  // per row: shift, Σ exp(z − shift), Σ z (softmaxRowStats; nothing of the size of the logits is kept for backward),
  // lse = shift + log Σ exp(z − shift), log p_c = z_c − lse, in float64.
  const z = logits.data;
  const stats = softmaxRowStats(z, rows, C);
  const { shift, sumExp, sumZ } = stats;
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
    const l = shift[i]! + Math.log(sumExp[i]!);
    const wy = weight ? weight[y]! : 1;
    let loss = -wy * (z[base + y]! - l);
    if (eps > 0) {
      // −Σ_c w_c·log p_c; unweighted that is C·lse − Σ_c z_c
      let smooth = 0;
      if (weight) for (let c = 0; c < C; c++) smooth -= weight[c]! * (z[base + c]! - l);
      else smooth = C * l - sumZ[i]!;
      loss = (1 - eps) * loss + (eps / C) * smooth;
    }
    perRow[i] = loss;
    total += loss;
    denom += wy;
  }

  const out = reduceRows(perRow, total, denom, reduction, logits.dtype, leadShape);

  return attach(out, 'cross_entropy', [logits], (g) => {
    const grad = allocate(logits.dtype, logits.size);
    // d loss_i / d z_j = scale·(A·p_j − coef_j) with p = softmax(z_i), coef_c = soft·w_c + [c = y]·hard,
    // hard = (1−ε)·w_y, soft = ε/C and A = Σ_c coef_c = hard + soft·Σ_c w_c.
    const soft = eps / C;
    const coefficients = (i: number, y: number): { scale: number; hard: number; A: number } => {
      const scale = rowGradScale(g, i, reduction, denom);
      const hard = (1 - eps) * (weight ? weight[y]! : 1);
      return { scale, hard, A: hard + soft * weightSum };
    };
    const rowByLoop = (i: number): void => {
      const y = ids[i]!;
      const { scale, hard, A } = coefficients(i, y);
      if (scale === 0) return;
      const base = i * C;
      const sh = shift[i]!;
      const k = A / sumExp[i]!;
      for (let c = 0; c < C; c++) {
        const coef = soft * (weight ? weight[c]! : 1) + (c === y ? hard : 0);
        grad[base + c] = scale * (k * Math.exp(z[base + c]! - sh) - coef);
      }
    };
    if (stats.wasm && !weight && z instanceof Float32Array && grad instanceof Float32Array) {
      // the kernel writes scale·(A·p_c − soft) for every class; the target's −scale·hard is added below
      const coefs = new Float32Array(3 * rows);
      for (let i = 0; i < rows; i++) {
        const y = ids[i]!;
        if (y === ignoreIndex || stats.slowRows?.[i]) continue;
        const { scale, A } = coefficients(i, y);
        coefs[3 * i] = shift[i]!;
        coefs[3 * i + 1] = (scale * A) / sumExp[i]!;
        coefs[3 * i + 2] = scale * soft;
      }
      if (softmaxGradRowsWasm(z, rows, C, coefs, grad)) {
        for (let i = 0; i < rows; i++) {
          const y = ids[i]!;
          if (y === ignoreIndex) continue;
          if (stats.slowRows?.[i]) {
            rowByLoop(i);
            continue;
          }
          const { scale, hard, A } = coefficients(i, y);
          const at = i * C + y;
          grad[at] = scale * ((A * Math.exp(z[at]! - shift[i]!)) / sumExp[i]! - soft - hard);
        }
        return [new Tensor(grad, logits.shape)];
      }
    }
    for (let i = 0; i < rows; i++) if (ids[i] !== ignoreIndex) rowByLoop(i);
    return [new Tensor(grad, logits.shape)];
  });
}
