import { Optimizer, checkFlag, type HyperValue } from './optimizer.js';
import { checkHyper, type ParamSource } from './params.js';
import { ValueError } from '../errors.js';

export interface SGDOptions {
  /** Learning rate (default 1e-3, PyTorch's). */
  lr?: number;
  momentum?: number;
  dampening?: number;
  /** L2 penalty added to the gradient. */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

type SGDConfig = Required<Omit<SGDOptions, 'lr'>>;

function resolve(o: SGDOptions): SGDConfig {
  const what = 'SGD';
  const c: SGDConfig = {
    momentum: checkHyper(what, 'momentum', o.momentum ?? 0),
    dampening: checkHyper(what, 'dampening', o.dampening ?? 0, { min: -Infinity }),
    weightDecay: checkHyper(what, 'weightDecay', o.weightDecay ?? 0),
    nesterov: checkFlag(what, 'nesterov', o.nesterov ?? false),
    maximize: checkFlag(what, 'maximize', o.maximize ?? false),
  };
  if (c.nesterov && (c.momentum <= 0 || c.dampening !== 0)) {
    throw new ValueError(
      `SGD: Nesterov momentum requires momentum > 0 and dampening 0 (got momentum ${c.momentum}, dampening ` +
        `${c.dampening})`,
    );
  }
  return c;
}

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay —
 * torch.optim.SGD's update: g ← g + λp; b ← μb + (1−τ)g (b = g on the first step); g ← g + μb (Nesterov)
 * or g ← b; p ← p − lr·g.
 */
export class SGD extends Optimizer {
  private config: SGDConfig;

  constructor(params: ParamSource, options: SGDOptions = {}) {
    super('SGD', params, options.lr ?? 1e-3);
    this.config = resolve(options);
  }

  get momentum(): number {
    return this.config.momentum;
  }
  get weightDecay(): number {
    return this.config.weightDecay;
  }

  step(): void {
    const lr = this.checkLr();
    const { momentum, dampening, weightDecay, nesterov, maximize } = this.config;
    this.params.forEach((p, i) => {
      const grad = this.gradOf(p, i);
      if (!grad) return;
      const x = p.data;
      const n = x.length;
      if (momentum === 0) {
        for (let j = 0; j < n; j++) {
          let g = maximize ? -grad[j]! : grad[j]!;
          if (weightDecay !== 0) g += weightDecay * x[j]!;
          x[j] = x[j]! - lr * g;
        }
        return;
      }
      const first = this.state[i] === null;
      const s = this.stateOf(i, (q) => ({ momentum_buffer: this.buffer(q) }));
      s.step += 1;
      const buf = s.buffers.momentum_buffer!;
      for (let j = 0; j < n; j++) {
        let g = maximize ? -grad[j]! : grad[j]!;
        if (weightDecay !== 0) g += weightDecay * x[j]!;
        buf[j] = first ? g : momentum * buf[j]! + (1 - dampening) * g;
        const d = nesterov ? g + momentum * buf[j]! : buf[j]!;
        x[j] = x[j]! - lr * d;
      }
    });
  }

  protected hyperparameters(): Record<string, HyperValue> {
    const c = this.config;
    return {
      momentum: c.momentum,
      dampening: c.dampening,
      weight_decay: c.weightDecay,
      nesterov: c.nesterov,
      maximize: c.maximize,
    };
  }
  protected setHyperparameters(h: Record<string, HyperValue>): void {
    this.config = resolve({
      momentum: h.momentum as number,
      dampening: h.dampening as number,
      weightDecay: h.weight_decay as number,
      nesterov: h.nesterov as boolean,
      maximize: h.maximize as boolean,
    });
  }
  protected requiredBufferNames(): readonly string[] {
    return ['momentum_buffer'];
  }
  protected bufferNames(): readonly string[] {
    return ['momentum_buffer'];
  }
}
