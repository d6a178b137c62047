import { describeValue, ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Adam } from '../optim/adam.js';
import { AdamW } from '../optim/adamw.js';
import { SGD } from '../optim/sgd.js';

export type OptimizerName = 'adam' | 'adamw' | 'sgd';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'adamw', 'sgd'];

/** The config keys the training runner reads; a task's config extends this with its own keys. */
export interface RunnerConfig {
  /** Seeds the model, the batch order of every epoch and dropout. */
  seed: number;
  optimizer: OptimizerName;
  lr: number;
  weightDecay: number;
  /** Gradient norm clip (0 = off). */
  clip: number;
  epochs: number;
  /** Stop after this many optimizer steps in total (0 = no limit). */
  maxSteps: number;
  /** Early stopping: validations without improvement before stopping (0 = never stop early). */
  patience: number;
  /** Write the resumable checkpoint every N steps (0 = only after each validation). */
  checkpointEvery: number;
  /** Multiply the learning rate by this after a validation without improvement (1 = never). */
  lrDecay: number;
  /** Validate every N steps (0 or absent = at the end of each epoch only). */
  evalEvery?: number;
}

/** Defaults of the runner's keys (a task's defaultConfig usually spreads these and overrides some). */
export const RUNNER_CONFIG_DEFAULTS: Readonly<Required<RunnerConfig>> = {
  seed: 1234,
  optimizer: 'adam',
  lr: 1e-3,
  weightDecay: 0,
  clip: 5,
  epochs: 10,
  maxSteps: 0,
  patience: 3,
  checkpointEvery: 200,
  lrDecay: 1,
  evalEvery: 0,
};

/** The largest seed any command accepts (seeds are 32-bit: training configs, generate/sample --seed). */
export const MAX_SEED = 2 ** 32 - 1;

/** Whether `v` is an accepted seed: an integer in [0, MAX_SEED]. */
export function isValidSeed(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SEED;
}

export function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`config: ${name} must be a positive integer, got ${v}`);
}

export function checkNonNegativeInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(`config: ${name} must be a non-negative integer, got ${v}`);
}

/** Validate the runner's keys of a config; ValueError naming the key, expected and got. */
export function checkRunnerConfig(c: RunnerConfig): void {
  // Every seed of a task's config (seed, splitSeed, sceneSeed …) has the one range generate/sample --seed accept too.
  for (const [key, v] of Object.entries(c))
    if ((key === 'seed' || key.endsWith('Seed')) && !isValidSeed(v))
      throw new ValueError(`config: ${key} must be an integer in [0, ${MAX_SEED}], got ${describeValue(v)}`);
  if (!OPTIMIZER_NAMES.includes(c.optimizer)) {
    throw new ValueError(`config: optimizer must be adam, adamw or sgd, got '${c.optimizer}'`);
  }
  if (!(c.lr > 0)) throw new ValueError(`config: lr must be > 0, got ${c.lr}`);
  if (!(c.weightDecay >= 0)) throw new ValueError(`config: weightDecay must be ≥ 0, got ${c.weightDecay}`);
  if (!(c.clip >= 0)) throw new ValueError(`config: clip must be ≥ 0, got ${c.clip}`);
  if (!(c.lrDecay > 0 && c.lrDecay <= 1)) throw new ValueError(`config: lrDecay must be in (0, 1], got ${c.lrDecay}`);
  checkPositiveInt('epochs', c.epochs);
  checkNonNegativeInt('maxSteps', c.maxSteps);
  checkNonNegativeInt('patience', c.patience);
  checkNonNegativeInt('checkpointEvery', c.checkpointEvery);
  if (c.evalEvery !== undefined) checkNonNegativeInt('evalEvery', c.evalEvery);
}

/** The optimizer a config names, over `params`. */
export function makeOptimizer(
  config: Pick<RunnerConfig, 'optimizer' | 'lr' | 'weightDecay'>,
  params: Tensor[],
): Optimizer {
  switch (config.optimizer) {
    case 'adam':
      return new Adam(params, { lr: config.lr, weightDecay: config.weightDecay });
    case 'adamw':
      return new AdamW(params, { lr: config.lr, weightDecay: config.weightDecay });
    case 'sgd':
      return new SGD(params, { lr: config.lr, weightDecay: config.weightDecay });
    default:
      throw new ValueError(`config: optimizer must be adam, adamw or sgd, got '${String(config.optimizer)}'`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `defaults` overridden by each of `overrides` in turn (a --config file, then flags). Keys whose default is an object
 * (e.g. `architecture`) merge key by key; a `task` key must equal `task`. Unknown keys (top-level, and inside object
 * keys: neither in the default object nor in `examples`) and values of another type than the default's are a
 * ValueError naming the key and listing the known ones. Does not run the task's own checks.
 */
export function mergeConfig<C extends object>(task: string, defaults: C, ...overrides: Record<string, unknown>[]): C {
  return mergeTaskConfig(task, defaults, {}, ...overrides);
}

/** Example values of the keys object-valued config keys accept beyond their defaults (`{ architecture: {…} }`). */
export type ConfigExamples = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Merge `value` (an override of object key `key`) into `into`, checking its keys against `known`. */
function mergeNested(
  task: string,
  key: string,
  into: Record<string, unknown>,
  value: Record<string, unknown>,
  known: Record<string, unknown>,
): void {
  for (const [n, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!(n in known))
      throw new ValueError(
        `config: unknown key '${key}.${n}' for task ${task} (known ${key} keys: ${Object.keys(known).join(', ')})`,
      );
    const example = known[n];
    if (example !== null && example !== undefined && typeof v !== typeof example)
      throw new ValueError(`config: '${key}.${n}' must be a ${typeof example}, got ${describeValue(v)}`);
    into[n] = v;
  }
}

/** mergeConfig with `examples` adding accepted keys (and their types) inside object-valued keys. */
export function mergeTaskConfig<C extends object>(
  task: string,
  defaults: C,
  examples: ConfigExamples,
  ...overrides: Record<string, unknown>[]
): C {
  const base = defaults as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) out[k] = isPlainObject(v) ? { ...v } : v;
  for (const o of overrides) {
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      if (k === 'task') {
        if (v !== task) throw new ValueError(`config says task '${String(v)}' but the command trains '${task}'`);
        continue;
      }
      if (!(k in base))
        throw new ValueError(`config: unknown key '${k}' for task ${task} (known: ${Object.keys(base).join(', ')})`);
      if (isPlainObject(base[k])) {
        if (!isPlainObject(v)) throw new ValueError(`config: "${k}" must be an object`);
        const known = { ...(examples[k] ?? {}), ...(base[k] as Record<string, unknown>) };
        mergeNested(task, k, out[k] as Record<string, unknown>, v, known);
        continue;
      }
      const want = typeof base[k];
      if (typeof v !== want) throw new ValueError(`config: '${k}' must be a ${want}, got ${describeValue(v)}`);
      out[k] = v;
    }
  }
  return out as C;
}
