import { ValueError } from '../errors.js';
import type { ReportProgress } from '../progress.js';
import { checkRunnerConfig, mergeTaskConfig, type RunnerConfig } from '../training/config.js';
import type { TrainingTaskDefinition } from '../training/task.js';

/** Output of a command: what it prints, and (train/eval) to standard error. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Standard input as text (e.g. `predict` with no text argument); absent = no input. */
  readStdin?: () => Promise<string>;
}

/** What `test` and `evaluate` of a registered task receive from the CLI. */
export interface TaskCommandContext {
  /** The saved model directory (train: --out; eval: --model). */
  modelDir: string;
  /** --data-dir when given. */
  dataDir?: string;
  io: CliIO;
  /**
   * A progress reporter for a long computation (an evaluation): lines on standard error at most every few seconds,
   * once it has run a few seconds. `unit` names what `done` counts ("sentences", "batches" …).
   */
  progress(label: string, unit?: string): ReportProgress;
}

export interface EvalContext extends TaskCommandContext {
  /** --write: store the result in the model's metrics.json. */
  write: boolean;
  /** The task's evalOptions with the values given on the command line. */
  options: Record<string, boolean | number | string>;
}

/**
 * A training task as a task package registers it: its name on the command line (`train <name>`), one line of
 * description, its default config and checks, the runner definition, how to read its data, and optionally a test
 * after training and an `eval` command.
 */
export interface TrainingTaskRegistration<C extends RunnerConfig = RunnerConfig, D = unknown> {
  name: string;
  /** The providing package, e.g. '@recurrent/text'. */
  package: string;
  /** One line for `tasks` / `help`. */
  description: string;
  defaultConfig(): C;
  /**
   * Example values for keys of object-valued config keys that the defaults leave out (e.g. `architecture.numLayers`),
   * so that `--num-layers 2` is typed and accepted. Keyed by the object key: `{ architecture: { numLayers: 1 } }`.
   */
  optionExamples?: Record<string, Record<string, unknown>>;
  /** The task's own checks after merging (the runner's keys are checked by resolveTrainingConfig). ValueError. */
  validateConfig?(config: C): void;
  // biome-ignore lint/suspicious/noExplicitAny: the batch type is the definition's own business
  definition: TrainingTaskDefinition<C, D, any>;
  /** Read the training and validation data for a config (Node: from --data-dir or the shared data folder). */
  loadData(config: C, options: { dataDir?: string }): D;
  /** After `train` saved a model: e.g. measure it on the test set (skipped with --no-test). */
  test?(context: TaskCommandContext & { config: C }): Promise<void> | void;
  /** `eval <name> --model <dir>`; absent = the task has no eval command. */
  evaluate?(context: EvalContext): Promise<void> | void;
  /** Options `eval` accepts besides --model, --write and --data-dir; defaults type them (`{ lexicon: true }`). */
  evalOptions?: Record<string, boolean | number | string>;
}

const REGISTRY_KEY = Symbol.for('@recurrent/core/training-tasks');

function registry(): Map<string, TrainingTaskRegistration> {
  const g = globalThis as Record<symbol, Map<string, TrainingTaskRegistration> | undefined>;
  let r = g[REGISTRY_KEY];
  if (!r) {
    r = new Map();
    g[REGISTRY_KEY] = r;
  }
  return r;
}

/** Register a task (a task package does this when its Node entry is imported). Same package again: replaced. */
export function registerTrainingTask<C extends RunnerConfig, D>(task: TrainingTaskRegistration<C, D>): void {
  if (!/^[a-z][a-z0-9-]*$/.test(task.name))
    throw new ValueError(`registerTrainingTask: name must be lowercase letters, digits and '-', got '${task.name}'`);
  const existing = registry().get(task.name);
  if (existing && existing.package !== task.package) {
    throw new ValueError(
      `registerTrainingTask: task '${task.name}' is already registered by ${existing.package} (now ${task.package})`,
    );
  }
  registry().set(task.name, task as unknown as TrainingTaskRegistration);
}

/** Registered tasks in registration order, optionally only those of some packages. */
export function trainingTasks(packages?: readonly string[]): readonly TrainingTaskRegistration[] {
  const all = [...registry().values()];
  return packages ? all.filter((t) => packages.includes(t.package)) : all;
}

export function findTrainingTask(name: string): TrainingTaskRegistration | undefined {
  return registry().get(name);
}

/**
 * The task's defaults overridden by `overrides` (mergeTaskConfig with the task's optionExamples: unknown keys, top
 * level or nested, and wrong types are ValueErrors naming the key), then the runner's checks and the task's own.
 */
export function resolveTrainingConfig<C extends RunnerConfig>(
  task: TrainingTaskRegistration<C, unknown>,
  ...overrides: Record<string, unknown>[]
): C {
  const config = mergeTaskConfig(task.name, task.defaultConfig(), task.optionExamples ?? {}, ...overrides);
  checkRunnerConfig(config);
  task.validateConfig?.(config);
  return config;
}
