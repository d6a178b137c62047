import { Optimizer, checkFlag, type HyperValue } from './optimizer.js';
import { checkHyper, type ParamSource } from './params.js';

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** The step size decays as lr / (1 + (t − 1)·lrDecay). */
  lrDecay?: number;
  weightDecay?: number;
  /** Starting value of the squared-gradient sums. */
  initialAccumulatorValue?: number;
  /** Added to √sum (default 1e-10). */
  eps?: number;
  maximize?: boolean;
}

type AdagradConfig = Required<Omit<AdagradOptions, 'lr'>>;

function resolve(o: AdagradOptions): AdagradConfig {
  const what = 'Adagrad';
  return {
    lrDecay: checkHyper(what, 'lrDecay', o.lrDecay ?? 0),
    weightDecay: checkHyper(what, 'weightDecay', o.weightDecay ?? 0),
    initialAccumulatorValue: checkHyper(what, 'initialAccumulatorValue', o.initialAccumulatorValue ?? 0),
    eps: checkHyper(what, 'eps', o.eps ?? 1e-10),
    maximize: checkFlag(what, 'maximize', o.maximize ?? false),
  };
}

/**
 * Adagrad (torch.optim.Adagrad): S ← S + g²; p ← p − (lr / (1 + (t−1)·lrDecay)) · g / (√S + ε).
 * The sums start at initialAccumulatorValue for every parameter when the optimizer is built (buffer `sum`).
 */
export class Adagrad extends Optimizer {
  private config: AdagradConfig;

  constructor(params: ParamSource, options: AdagradOptions = {}) {
    super('Adagrad', params, options.lr ?? 1e-2);
    this.config = resolve(options);
    this.params.forEach((_, i) => {
      this.stateOf(i, (q) => ({ sum: this.buffer(q, this.config.initialAccumulatorValue) }));
    });
  }

  step(): void {
    const lr = this.checkLr();
    const { lrDecay, weightDecay, eps, maximize } = this.config;
    this.params.forEach((p, i) => {
      const grad = this.gradOf(p, i);
      if (!grad) return;
      const s = this.stateOf(i, (q) => ({ sum: this.buffer(q, this.config.initialAccumulatorValue) }));
      s.buffers.sum ??= this.buffer(p, this.config.initialAccumulatorValue);
      s.step += 1;
      const clr = lr / (1 + (s.step - 1) * lrDecay);
      const x = p.data;
      const sum = s.buffers.sum;
      for (let j = 0; j < x.length; j++) {
        let g = maximize ? -grad[j]! : grad[j]!;
        if (weightDecay !== 0) g += weightDecay * x[j]!;
        sum[j] = sum[j]! + g * g;
        x[j] = x[j]! - clr * (g / (Math.sqrt(sum[j]!) + eps));
      }
    });
  }

  protected hyperparameters(): Record<string, HyperValue> {
    const c = this.config;
    return {
      lr_decay: c.lrDecay,
      weight_decay: c.weightDecay,
      initial_accumulator_value: c.initialAccumulatorValue,
      eps: c.eps,
      maximize: c.maximize,
    };
  }
  protected setHyperparameters(h: Record<string, HyperValue>): void {
    this.config = resolve({
      lrDecay: h.lr_decay as number,
      weightDecay: h.weight_decay as number,
      initialAccumulatorValue: h.initial_accumulator_value as number,
      eps: h.eps as number,
      maximize: h.maximize as boolean,
    });
  }
  protected requiredBufferNames(): readonly string[] {
    return ['sum'];
  }
  protected bufferNames(): readonly string[] {
    return ['sum'];
  }
}
