import { ValueError } from '../errors.js';
import type { Optimizer } from '../optim/optimizer.js';
import { CosineAnnealingLR, type LRScheduler, StepLR, WarmupCosineLR } from '../optim/schedulers.js';
import { checkNonNegativeInt, checkPositiveInt } from './config.js';

export type LrScheduleName = 'constant' | 'step' | 'cosine' | 'warmup-cosine';
export const LR_SCHEDULE_NAMES: readonly LrScheduleName[] = ['constant', 'step', 'cosine', 'warmup-cosine'];

/**
 * Config keys of a per-step lr schedule, for tasks that want one: spread LR_SCHEDULE_DEFAULTS into the task's
 * defaults and return makeLrScheduler(...) from the definition's lrScheduler.
 */
export interface LrScheduleConfig {
  /**
   * constant; step: × lrGamma every lrStepSize steps; cosine: to 0 over the run; warmup-cosine: linear warmup first.
   */
  lrSchedule: LrScheduleName;
  /** warmup-cosine: steps of linear warmup from 0. */
  warmupSteps: number;
  /** step: steps between decays. */
  lrStepSize: number;
  /** step: the factor of each decay. */
  lrGamma: number;
}

export const LR_SCHEDULE_DEFAULTS: Readonly<LrScheduleConfig> = {
  lrSchedule: 'constant',
  warmupSteps: 0,
  lrStepSize: 1000,
  lrGamma: 0.5,
};

/** Validate the schedule keys (ValueError naming the key). */
export function checkLrScheduleConfig(c: LrScheduleConfig): void {
  if (!LR_SCHEDULE_NAMES.includes(c.lrSchedule)) {
    throw new ValueError(`config: lrSchedule must be one of ${LR_SCHEDULE_NAMES.join(', ')}, got '${c.lrSchedule}'`);
  }
  checkNonNegativeInt('warmupSteps', c.warmupSteps);
  checkPositiveInt('lrStepSize', c.lrStepSize);
  if (!(c.lrGamma > 0 && c.lrGamma <= 1)) throw new ValueError(`config: lrGamma must be in (0, 1], got ${c.lrGamma}`);
}

/**
 * The scheduler a config names over a run of `totalSteps` optimizer steps (null for 'constant'); the runner steps it
 * after every optimizer step and checkpoints it.
 */
export function makeLrScheduler(optimizer: Optimizer, c: LrScheduleConfig, totalSteps: number): LRScheduler | null {
  switch (c.lrSchedule) {
    case 'constant':
      return null;
    case 'step':
      return new StepLR(optimizer, { stepSize: c.lrStepSize, gamma: c.lrGamma });
    case 'cosine':
      return new CosineAnnealingLR(optimizer, { tMax: Math.max(1, totalSteps) });
    case 'warmup-cosine':
      if (totalSteps <= c.warmupSteps) {
        throw new ValueError(`config: warmupSteps (${c.warmupSteps}) must be below the run's ${totalSteps} steps`);
      }
      return new WarmupCosineLR(optimizer, { warmupSteps: c.warmupSteps, totalSteps });
    default:
      throw new ValueError(
        `config: lrSchedule must be one of ${LR_SCHEDULE_NAMES.join(', ')}, got '${String(c.lrSchedule)}'`,
      );
  }
}
