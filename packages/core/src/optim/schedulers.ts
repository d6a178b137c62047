import { FormatError, ValueError } from '../errors.js';
import { checkHyper } from './params.js';

/** Anything with a mutable learning rate (every Optimizer). */
export interface HasLr {
  lr: number;
}

export interface SchedulerState {
  scheduler: string;
  lastEpoch: number;
  baseLr: number;
}

/**
 * Base of the learning-rate schedules, PyTorch semantics: construction records the optimizer's lr as the
 * base and sets the epoch-0 value (lastEpoch = 0); each `step()` (call it after optimizer.step())
 * advances lastEpoch and writes the new lr into the optimizer. Chainable forms are computed from the
 * optimizer's current lr exactly as torch.optim.lr_scheduler does.
 */
export abstract class LRScheduler {
  /** The optimizer's lr when the schedule started (restored by loadStateDict). */
  baseLr: number;
  lastEpoch = 0;

  protected constructor(
    readonly kind: string,
    readonly optimizer: HasLr,
  ) {
    this.baseLr = checkHyper(kind, 'base learning rate', optimizer.lr);
  }

  /** Set the epoch-0 lr; every subclass calls this at the end of its constructor, once its fields exist. */
  protected start(): void {
    this.optimizer.lr = this.computeLr();
  }

  /** The lr for `lastEpoch`, given the optimizer's current lr (the previous epoch's value). */
  protected abstract computeLr(): number;

  /** Advance one epoch (or iteration) and set the optimizer's lr. */
  step(): void {
    this.lastEpoch += 1;
    this.optimizer.lr = this.computeLr();
  }

  /** The learning rate currently set (PyTorch's get_last_lr()[0]). */
  getLr(): number {
    return this.optimizer.lr;
  }

  stateDict(): SchedulerState {
    return { scheduler: this.kind, lastEpoch: this.lastEpoch, baseLr: this.baseLr };
  }

  /** Restore the epoch counter and base lr; the optimizer's current lr comes from the optimizer's own state dict. */
  loadStateDict(state: SchedulerState): void {
    if (state?.scheduler !== this.kind)
      throw new FormatError(`${this.kind}.loadStateDict: the state is for '${String(state?.scheduler)}'`);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0)
      throw new FormatError(
        `${this.kind}.loadStateDict: lastEpoch must be a non-negative integer, got ${state.lastEpoch}`,
      );
    checkHyper(`${this.kind}.loadStateDict`, 'baseLr', state.baseLr);
    this.lastEpoch = state.lastEpoch;
    this.baseLr = state.baseLr;
  }
}

function positiveInt(what: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${what}: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** torch StepLR: multiply the lr by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: HasLr, options: { stepSize: number; gamma?: number }) {
    const stepSize = positiveInt('StepLR', 'stepSize', options.stepSize);
    const gamma = checkHyper('StepLR', 'gamma', options.gamma ?? 0.1);
    super('StepLR', optimizer);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.start();
  }
  protected computeLr(): number {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.optimizer.lr;
    return this.optimizer.lr * this.gamma;
  }
}

/** torch ExponentialLR: multiply the lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: HasLr, options: { gamma: number }) {
    const gamma = checkHyper('ExponentialLR', 'gamma', options.gamma);
    super('ExponentialLR', optimizer);
    this.gamma = gamma;
    this.start();
  }
  protected computeLr(): number {
    return this.lastEpoch === 0 ? this.optimizer.lr : this.optimizer.lr * this.gamma;
  }
}

/**
 * torch CosineAnnealingLR: η_t = η_min + (η_base − η_min)(1 + cos(π t / tMax)) / 2, computed in
 * PyTorch's recursive form (so it keeps following the cosine past tMax, rising again).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: HasLr, options: { tMax: number; etaMin?: number }) {
    const tMax = positiveInt('CosineAnnealingLR', 'tMax', options.tMax);
    const etaMin = checkHyper('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    super('CosineAnnealingLR', optimizer);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.start();
  }
  protected computeLr(): number {
    const e = this.lastEpoch;
    const lr = this.optimizer.lr;
    if (e === 0) return lr;
    const T = this.tMax;
    if ((e - 1 - T) % (2 * T) === 0) return lr + ((this.baseLr - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
    return (
      ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - this.etaMin) + this.etaMin
    );
  }
}

export interface LinearLROptions {
  /** Factor of the base lr at epoch 0 (default 1/3). */
  startFactor?: number;
  /** Factor reached at `totalIters` and kept afterwards (default 1). */
  endFactor?: number;
  /** Epochs of linear change (default 5). */
  totalIters?: number;
}

/**
 * torch LinearLR: the factor moves linearly from startFactor to endFactor over totalIters epochs, then
 * stays. With startFactor < 1 = endFactor this is linear warmup.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: HasLr, options: LinearLROptions = {}) {
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (!(startFactor > 0 && startFactor <= 1))
      throw new ValueError(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1))
      throw new ValueError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    const totalIters = positiveInt('LinearLR', 'totalIters', options.totalIters ?? 5);
    super('LinearLR', optimizer);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.start();
  }
  protected computeLr(): number {
    const e = this.lastEpoch;
    const lr = this.optimizer.lr;
    if (e === 0) return lr * this.startFactor;
    if (e > this.totalIters) return lr;
    const span = this.endFactor - this.startFactor;
    return lr * (1 + span / (this.totalIters * this.startFactor + (e - 1) * span));
  }
}

/** torch LambdaLR: lr = base · lrLambda(epoch). */
export class LambdaLR extends LRScheduler {
  constructor(
    optimizer: HasLr,
    readonly lrLambda: (epoch: number) => number,
  ) {
    super('LambdaLR', optimizer);
    this.start();
  }
  protected computeLr(): number {
    const f = this.lrLambda(this.lastEpoch);
    if (!Number.isFinite(f)) throw new ValueError(`LambdaLR: lrLambda(${this.lastEpoch}) returned ${f}`);
    return this.baseLr * f;
  }
}

export interface WarmupCosineOptions {
  /** Epochs (usually iterations) of linear warmup. */
  warmupSteps: number;
  /** Total length of the schedule; the cosine runs from warmupSteps to totalSteps, then the lr stays at etaMin. */
  totalSteps: number;
  /** Final learning rate (absolute, default 0). */
  etaMin?: number;
  /** Factor of the base lr at epoch 0 (default 0, the Hugging Face convention; the warmup reaches 1 at warmupSteps). */
  warmupStartFactor?: number;
}

/**
 * Linear warmup then cosine decay, closed form:
 * t < w: lr = base·(s + (1 − s)·t/w);
 * w ≤ t ≤ T: lr = η_min + (base − η_min)(1 + cos(π (t − w)/(T − w)))/2;
 * t > T: η_min.
 */
export class WarmupCosineLR extends LRScheduler {
  readonly options: Required<WarmupCosineOptions>;
  constructor(optimizer: HasLr, options: WarmupCosineOptions) {
    const warmupSteps = options.warmupSteps;
    if (!Number.isInteger(warmupSteps) || warmupSteps < 0)
      throw new ValueError(`WarmupCosineLR: warmupSteps must be a non-negative integer, got ${warmupSteps}`);
    const totalSteps = positiveInt('WarmupCosineLR', 'totalSteps', options.totalSteps);
    if (totalSteps <= warmupSteps)
      throw new ValueError(`WarmupCosineLR: totalSteps (${totalSteps}) must exceed warmupSteps (${warmupSteps})`);
    const resolved = {
      warmupSteps,
      totalSteps,
      etaMin: checkHyper('WarmupCosineLR', 'etaMin', options.etaMin ?? 0),
      warmupStartFactor: checkHyper('WarmupCosineLR', 'warmupStartFactor', options.warmupStartFactor ?? 0, {
        below: 1.0000001,
      }),
    };
    super('WarmupCosineLR', optimizer);
    this.options = resolved;
    this.start();
  }
  protected computeLr(): number {
    const { warmupSteps: w, totalSteps: T, etaMin, warmupStartFactor: s } = this.options;
    const t = this.lastEpoch;
    if (t < w) return this.baseLr * (s + ((1 - s) * t) / w);
    if (t >= T) return etaMin;
    return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * (t - w)) / (T - w)))) / 2;
  }
}
