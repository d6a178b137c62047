import { Optimizer, checkFlag, lerp, type HyperValue } from './optimizer.js';
import { checkHyper, type ParamSource } from './params.js';

export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the root of the average (default 1e-8). */
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  /** Normalise by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
  maximize?: boolean;
}

type RMSpropConfig = Required<Omit<RMSpropOptions, 'lr'>>;

function resolve(o: RMSpropOptions): RMSpropConfig {
  const what = 'RMSprop';
  return {
    alpha: checkHyper(what, 'alpha', o.alpha ?? 0.99),
    eps: checkHyper(what, 'eps', o.eps ?? 1e-8),
    weightDecay: checkHyper(what, 'weightDecay', o.weightDecay ?? 0),
    momentum: checkHyper(what, 'momentum', o.momentum ?? 0),
    centered: checkFlag(what, 'centered', o.centered ?? false),
    maximize: checkFlag(what, 'maximize', o.maximize ?? false),
  };
}

/**
 * RMSprop (torch.optim.RMSprop): s ← αs + (1−α)g²; d = √s + ε (centered: √(s − ḡ²) + ε with
 * ḡ ← αḡ + (1−α)g); then p ← p − lr·g/d, or with momentum b ← μb + g/d, p ← p − lr·b.
 * State buffers: `square_avg`, `momentum_buffer`, `grad_avg`.
 */
export class RMSprop extends Optimizer {
  private config: RMSpropConfig;

  constructor(params: ParamSource, options: RMSpropOptions = {}) {
    super('RMSprop', params, options.lr ?? 1e-2);
    this.config = resolve(options);
  }

  step(): void {
    const lr = this.checkLr();
    const { alpha, eps, weightDecay, momentum, centered, maximize } = this.config;
    this.params.forEach((p, i) => {
      const grad = this.gradOf(p, i);
      if (!grad) return;
      const s = this.stateOf(i, () => ({}));
      s.buffers.square_avg ??= this.buffer(p);
      if (momentum > 0) s.buffers.momentum_buffer ??= this.buffer(p);
      if (centered) s.buffers.grad_avg ??= this.buffer(p);
      s.step += 1;
      const x = p.data;
      const sq = s.buffers.square_avg;
      const buf = momentum > 0 ? s.buffers.momentum_buffer! : null;
      const avgG = centered ? s.buffers.grad_avg! : null;
      for (let j = 0; j < x.length; j++) {
        let g = maximize ? -grad[j]! : grad[j]!;
        if (weightDecay !== 0) g += weightDecay * x[j]!;
        sq[j] = sq[j]! * alpha + (1 - alpha) * g * g;
        let avg: number;
        if (avgG) {
          avgG[j] = lerp(avgG[j]!, g, 1 - alpha);
          avg = Math.sqrt(sq[j]! - avgG[j]! * avgG[j]!) + eps;
        } else {
          avg = Math.sqrt(sq[j]!) + eps;
        }
        if (buf) {
          buf[j] = buf[j]! * momentum + g / avg;
          x[j] = x[j]! - lr * buf[j]!;
        } else {
          x[j] = x[j]! - lr * (g / avg);
        }
      }
    });
  }

  protected hyperparameters(): Record<string, HyperValue> {
    const c = this.config;
    return {
      alpha: c.alpha,
      eps: c.eps,
      weight_decay: c.weightDecay,
      momentum: c.momentum,
      centered: c.centered,
      maximize: c.maximize,
    };
  }
  protected setHyperparameters(h: Record<string, HyperValue>): void {
    this.config = resolve({
      alpha: h.alpha as number,
      eps: h.eps as number,
      weightDecay: h.weight_decay as number,
      momentum: h.momentum as number,
      centered: h.centered as boolean,
      maximize: h.maximize as boolean,
    });
  }
  protected requiredBufferNames(): readonly string[] {
    return ['square_avg'];
  }
  protected bufferNames(): readonly string[] {
    return ['square_avg', 'momentum_buffer', 'grad_avg'];
  }
}
