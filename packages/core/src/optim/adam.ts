import { Optimizer, checkFlag, lerp, type HyperValue } from './optimizer.js';
import { checkHyper, type ParamSource } from './params.js';
import { ValueError } from '../errors.js';
import type { Storage } from '../tensor/dtype.js';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number] | readonly number[];
  /** Added to the bias-corrected √v (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay p ← p·(1 − lr·λ). */
  weightDecay?: number;
  /** Use the running maximum of v (AMSGrad). */
  amsgrad?: boolean;
  maximize?: boolean;
}

interface AdamConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function resolve(what: string, o: AdamOptions, defaultDecay: number): AdamConfig {
  const betas = o.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2)
    throw new ValueError(`${what}: betas must be two numbers, got ${JSON.stringify(betas)}`);
  return {
    beta1: checkHyper(what, 'beta1', betas[0]!, { below: 1 }),
    beta2: checkHyper(what, 'beta2', betas[1]!, { below: 1 }),
    eps: checkHyper(what, 'eps', o.eps ?? 1e-8),
    weightDecay: checkHyper(what, 'weightDecay', o.weightDecay ?? defaultDecay),
    amsgrad: checkFlag(what, 'amsgrad', o.amsgrad ?? false),
    maximize: checkFlag(what, 'maximize', o.maximize ?? false),
  };
}

/**
 * Adam (torch.optim.Adam): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). Weight decay is L2 (added to g) here and
 * decoupled in {@link AdamW}. State buffers: `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` (AMSGrad).
 */
export class Adam extends Optimizer {
  protected config: AdamConfig;
  private readonly decoupled: boolean;
  private readonly defaultDecay: number;

  constructor(params: ParamSource, options: AdamOptions = {}) {
    super(new.target === Adam ? 'Adam' : 'AdamW', params, options.lr ?? 1e-3);
    this.decoupled = new.target !== Adam;
    this.defaultDecay = this.decoupled ? 1e-2 : 0;
    this.config = resolve(this.kind, options, this.defaultDecay);
  }

  get betas(): [number, number] {
    return [this.config.beta1, this.config.beta2];
  }
  get eps(): number {
    return this.config.eps;
  }
  get weightDecay(): number {
    return this.config.weightDecay;
  }

  step(): void {
    const lr = this.checkLr();
    const { beta1, beta2, eps, weightDecay, amsgrad, maximize } = this.config;
    this.params.forEach((p, i) => {
      const grad = this.gradOf(p, i);
      if (!grad) return;
      const s = this.stateOf(i, (q) => {
        const b: Record<string, Float32Array | Float64Array> = { exp_avg: this.buffer(q), exp_avg_sq: this.buffer(q) };
        if (amsgrad) b.max_exp_avg_sq = this.buffer(q);
        return b;
      });
      if (amsgrad) s.buffers.max_exp_avg_sq ??= this.buffer(p);
      s.step += 1;
      const t = s.step;
      const x = p.data;
      const m = s.buffers.exp_avg!;
      const v = s.buffers.exp_avg_sq!;
      const vmax = amsgrad ? s.buffers.max_exp_avg_sq! : null;
      if (this.decoupled && weightDecay !== 0) {
        const f = 1 - lr * weightDecay;
        for (let j = 0; j < x.length; j++) x[j] = x[j]! * f;
      }
      const stepSize = lr / (1 - beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      if (!maximize && !vmax && (this.decoupled || weightDecay === 0)) {
        adamUpdate(x, grad, m, v, { beta1, beta2, stepSize, bc2Sqrt, eps });
        return;
      }
      for (let j = 0; j < x.length; j++) {
        let g = maximize ? -grad[j]! : grad[j]!;
        if (!this.decoupled && weightDecay !== 0) g += weightDecay * x[j]!;
        m[j] = lerp(m[j]!, g, 1 - beta1);
        v[j] = v[j]! * beta2 + (1 - beta2) * g * g;
        let second = v[j]!;
        if (vmax) {
          if (second > vmax[j]!) vmax[j] = second;
          second = vmax[j]!;
        }
        const denom = Math.sqrt(second) / bc2Sqrt + eps;
        x[j] = x[j]! - stepSize * (m[j]! / denom);
      }
    });
  }

  protected hyperparameters(): Record<string, HyperValue> {
    const c = this.config;
    return {
      betas: [c.beta1, c.beta2],
      eps: c.eps,
      weight_decay: c.weightDecay,
      amsgrad: c.amsgrad,
      maximize: c.maximize,
    };
  }
  protected setHyperparameters(h: Record<string, HyperValue>): void {
    this.config = resolve(
      this.kind,
      {
        betas: h.betas as number[],
        eps: h.eps as number,
        weightDecay: h.weight_decay as number,
        amsgrad: h.amsgrad as boolean,
        maximize: h.maximize as boolean,
      },
      this.defaultDecay,
    );
  }
  protected requiredBufferNames(): readonly string[] {
    return ['exp_avg', 'exp_avg_sq'];
  }
  protected bufferNames(): readonly string[] {
    return ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'];
  }
}

/**
 * The common case of the loop in `Adam.step` (no L2 term, no AMSGrad, minimising), the same operations in the same
 * order with the flags hoisted out, so V8 compiles one tight loop.
 */
interface AdamStep {
  beta1: number;
  beta2: number;
  stepSize: number;
  bc2Sqrt: number;
  eps: number;
}

function adamUpdate(x: Storage, g: Storage, m: Storage, v: Storage, h: AdamStep): void {
  const { beta1, beta2, stepSize, bc2Sqrt, eps } = h;
  const w1 = 1 - beta1;
  const w2 = 1 - beta2;
  for (let j = 0; j < x.length; j++) {
    const gj = g[j]!;
    m[j] = lerp(m[j]!, gj, w1);
    v[j] = v[j]! * beta2 + w2 * gj * gj;
    // m and v re-read after the store, which rounds them to the parameter's dtype (as the general loop does)
    x[j] = x[j]! - stepSize * (m[j]! / (Math.sqrt(v[j]!) / bc2Sqrt + eps));
  }
}
