// Node-only: the command line shared by the task packages' CLIs (recurrent-text, recurrent-music, …).
import { existsSync, statSync } from 'node:fs';
import { FormatError, RecurrentError } from '../errors.js';
import { readTextChecked } from '../io/file-checks.js';
import { progressLines, type ReportProgress } from '../progress.js';
import { TrainingInterrupted } from '../training/errors.js';
import { INTERRUPTED_EXIT_CODE, watchInterrupts } from './signals.js';
import { initWasm } from '../kernels/backend.js';
import { initWasmThreads } from '../kernels/wasm/node-threads.js';
import {
  camelToKebab,
  kebabToCamel,
  parseArgs,
  rejectLeftovers,
  rejectUnknownFlags,
  takeBoolean,
  takeFlag,
  takeString,
  typedValue,
  UsageError,
  type ParsedArgs,
} from './args.js';
import {
  findTrainingTask,
  resolveTrainingConfig,
  trainingTasks,
  type CliIO,
  type TrainingTaskRegistration,
} from '../registry/training-tasks.js';
import { readModelDirConfig, recordedTrainingTask } from '../registry/model-dir.js';
import { runTrainingAsync } from '../training/files.js';

/** Context of a package's own command (predict, generate …). */
export interface CommandContext {
  io: CliIO;
  /** The command line as typed, for the record (`recurrent-text predict --model m`). */
  command: string;
}

/** A command a package adds beside `train`, `eval` and `tasks`. */
export interface CliCommand {
  /** Usage lines (without the program name): `predict --model <dir> [--json] <text> ...`. */
  usage: string;
  /** Switches (flags that never take a value, `--no-x` allowed). */
  switches?: readonly string[];
  run(args: ParsedArgs, context: CommandContext): Promise<void> | void;
}

export interface TaskCliSpec {
  /** Program name, e.g. 'recurrent-music'. */
  program: string;
  /** One line after the name in the usage: what the program does. */
  summary: string;
  /** List and run only tasks of these packages (default: every registered task). */
  packages?: readonly string[];
  /** Extra commands (predict, generate, sample …). */
  commands?: Readonly<Record<string, CliCommand>>;
  /** Extra paragraph at the end of the usage. */
  notes?: string;
}

/** Standard output and error of the process; stdin read to the end on demand. */
export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  },
};

/**
 * When the process was started by one of `scripts` through pnpm or npm (`pnpm recurrent-text …` at the repository
 * root), change to the directory the user typed the command in (INIT_CWD): the package manager runs scripts in the
 * package's directory, and relative paths (--out runs/x, --model models/sst2) should mean what the user sees.
 * Returns the working directory.
 */
export function useInvocationDirectory(scripts: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const init = env.INIT_CWD;
  const event = env.npm_lifecycle_event;
  if (init && event && scripts.includes(event) && existsSync(init)) process.chdir(init);
  return process.cwd();
}

/** WASM SIMD kernels, on RECURRENT_THREADS=N worker threads when set (bit-identical results). */
export async function startKernels(io: CliIO): Promise<void> {
  const raw = process.env.RECURRENT_THREADS;
  if (raw === undefined || raw === '') {
    await initWasm();
    return;
  }
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1)
    throw new UsageError(`RECURRENT_THREADS must be a positive integer, got ${JSON.stringify(raw)}`);
  const got = await initWasmThreads({ threads });
  if (got !== threads)
    io.err(
      `RECURRENT_THREADS=${threads}: WebAssembly SIMD is not available, running the TypeScript kernels on one thread\n`,
    );
}

/** Read a --config JSON file (UsageError when missing or not a JSON object). */
export function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new UsageError(`--config ${path}: no such file`);
  if (statSync(path).isDirectory()) throw new UsageError(`--config ${path}: is a directory, expected a JSON file`);
  let text: string;
  try {
    text = readTextChecked(path, 'a JSON config');
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`--config ${e.message}`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new UsageError(`--config ${path}: must be a JSON object`);
  return json as Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The task's config keys with example values: defaults, plus optionExamples inside object-valued keys. */
function configShape(task: TrainingTaskRegistration): Record<string, unknown> {
  const shape: Record<string, unknown> = { ...(task.defaultConfig() as unknown as Record<string, unknown>) };
  for (const [k, v] of Object.entries(shape))
    if (isPlainObject(v)) shape[k] = { ...(task.optionExamples?.[k] ?? {}), ...v };
  return shape;
}

/** Flags that are switches for a task's config: every boolean key, top level or nested, in kebab case. */
function configSwitches(shape: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(shape)) {
    if (typeof v === 'boolean') out.push(camelToKebab(k));
    else if (isPlainObject(v))
      for (const [n, x] of Object.entries(v)) if (typeof x === 'boolean') out.push(camelToKebab(n));
  }
  return out;
}

/**
 * Config overrides from the remaining --flags: `--batch-size 8` sets batchSize, `--hidden-size 64` sets
 * architecture.hiddenSize (keys of object-valued keys), typed by the defaults. Consumed flags are removed.
 */
export function configFromFlags(
  shape: Record<string, unknown>,
  flags: Map<string, string | true>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, raw] of [...flags]) {
    const key = kebabToCamel(flag);
    if (key === 'task') continue;
    if (key in shape && !isPlainObject(shape[key])) {
      out[key] = typedValue(flag, raw, shape[key]);
      flags.delete(flag);
      continue;
    }
    for (const [objKey, obj] of Object.entries(shape)) {
      if (!isPlainObject(obj) || !(key in obj)) continue;
      out[objKey] ??= {};
      const nested = out[objKey] as Record<string, unknown>;
      nested[key] = typedValue(flag, raw, obj[key]);
      flags.delete(flag);
      break;
    }
  }
  return out;
}

function quoteArg(a: string): string {
  return /^[\w.,/:=@+-]+$/.test(a) ? a : JSON.stringify(a);
}

/** The usage text: commands, registered tasks one per line, notes. */
export function taskCliUsage(spec: TaskCliSpec): string {
  const p = spec.program;
  const tasks = trainingTasks(spec.packages);
  const width = Math.max(4, ...tasks.map((t) => t.name.length));
  const lines = [
    `${p} — ${spec.summary}`,
    '',
    `  ${p} tasks                      list the tasks this program trains`,
    `  ${p} train <task> --out <dir> [--config file.json] [--<option> value ...] [--resume | --force] [--no-test]`,
    "      Options are the task's config keys in kebab case (--epochs 5, --hidden-size 256, --no-bidirectional ...);",
    '      --resume continues the run in <dir> from its last checkpoint, with the config it started with;',
    '      a <dir> holding a run or a trained model is refused unless --resume or --force (train over it).',
    '      Ctrl-C stops at the next step, writes its checkpoint and prints the command that resumes.',
    `  ${p} eval <task> --model <dir> [--write] [--<eval option> ...]`,
    '      Measure a saved model; --write stores the result in <dir>/metrics.json.',
    ...Object.values(spec.commands ?? {}).map((c) => `  ${p} ${c.usage}`),
    '',
    'Tasks:',
    ...(tasks.length > 0 ? tasks.map((t) => `  ${t.name.padEnd(width)}  ${t.description}`) : ['  (none registered)']),
    '',
    'Common: --data-dir <dir> (default $RECURRENT_DATA or the nearest shared/data).',
    'RECURRENT_THREADS=N runs large matrix products on N threads (same results, faster training on several cores).',
  ];
  if (spec.notes) lines.push(spec.notes);
  return lines.join('\n');
}

function parseTask(spec: TaskCliSpec, raw: string | undefined): TrainingTaskRegistration {
  const names = trainingTasks(spec.packages).map((t) => t.name);
  if (!raw) throw new UsageError(`missing <task> (one of ${names.join(', ')})`);
  const task = findTrainingTask(raw);
  if (!task || !names.includes(raw))
    throw new UsageError(`unknown task '${raw}' (expected one of ${names.join(', ')})`);
  return task;
}

/** The task named first in `args` (before parsing, since its config decides which flags are switches). */
function taskOf(spec: TaskCliSpec, args: readonly string[]): TrainingTaskRegistration {
  const first = args[0]?.startsWith('-')
    ? parseArgs(args, new Set(['resume', 'test', 'write'])).positionals[0]
    : args[0];
  return parseTask(spec, first);
}

/** Every flag `train <task>` accepts: its own, then the task's config keys (top level and nested) in kebab case. */
function trainFlags(shape: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(shape)) {
    if (k === 'task') continue;
    if (isPlainObject(v)) keys.push(...Object.keys(v).map(camelToKebab));
    else keys.push(camelToKebab(k));
  }
  return ['out', 'config', 'data-dir', 'resume', 'force', 'test', ...new Set(keys)];
}

/** A progress reporter factory writing to the CLI's standard error. */
function progressTo(io: CliIO): (label: string, unit?: string) => ReportProgress {
  return (label, unit) => progressLines({ label, write: io.err, ...(unit ? { unit } : {}) });
}

/** The command that resumes an interrupted run: the same program, task, --out and --data-dir, with --resume. */
function resumeCommand(program: string, task: string, out: string, dataDir: string | undefined): string {
  const data = dataDir ? ['--data-dir', dataDir] : [];
  return [program, 'train', task, '--out', out, ...data, '--resume'].map(quoteArg).join(' ');
}

/** What an interrupted run prints: where it stopped, which checkpoint is on disk, how to resume. */
function interruptionReport(e: TrainingInterrupted, out: string, resume: string): string {
  const saved =
    e.checkpointStep === null
      ? `no checkpoint was written (${out} has none to resume from; train again to start over)`
      : e.checkpointStep === e.step
        ? `the checkpoint of step ${e.step} is written`
        : `the last checkpoint on disk is step ${e.checkpointStep}`;
  const how = e.checkpointStep === null ? '' : `; resume with:\n  ${resume}`;
  return `${e.signal ?? 'interrupted'}: training stopped after step ${e.step}; ${saved}${how}\n`;
}

async function cmdTrain(spec: TaskCliSpec, args: string[], io: CliIO, command: string): Promise<number> {
  const task = taskOf(spec, args);
  const shape = configShape(task);
  const switches = new Set(['resume', 'force', 'test', ...configSwitches(shape)]);
  rejectUnknownFlags(args, trainFlags(shape), switches, 'train', `train ${task.name}`);
  const { positionals, flags } = parseArgs(args, switches);
  if (positionals.length > 1)
    throw new UsageError(`train takes one task, got extra arguments: ${positionals.slice(1).join(' ')}`);
  const out = takeString(flags, 'out');
  if (!out) throw new UsageError('train needs --out <dir>');
  const resume = takeBoolean(flags, 'resume');
  const force = takeBoolean(flags, 'force');
  if (resume && force)
    throw new UsageError('--resume continues the run in --out, --force starts a new one over it: give one of them');
  const testFlag = takeFlag(flags, 'test');
  const runTest = testFlag === undefined ? true : typedValue('test', testFlag, true) === true;
  const dataDir = takeString(flags, 'data-dir');
  const configPath = takeString(flags, 'config');
  const overrides = configFromFlags(shape, flags);
  rejectLeftovers(flags, 'train');
  if (resume && (configPath || Object.keys(overrides).length > 0)) {
    throw new UsageError(
      "--resume continues with the checkpoint's own config; do not pass --config or options with it",
    );
  }
  const config = resolveTrainingConfig(task, configPath ? readConfigFile(configPath) : {}, overrides);
  const dataOptions = dataDir ? { dataDir } : {};
  const watch = watchInterrupts((signal) =>
    io.err(`\n${signal}: stopping after the current step to write its checkpoint (again: stop at once)\n`),
  );
  let result: Awaited<ReturnType<typeof runTrainingAsync>>;
  try {
    result = await runTrainingAsync(task.definition, config, (c) => task.loadData(c, dataOptions), {
      outDir: out,
      resume,
      force,
      command,
      log: (l: string) => io.err(`${l}\n`),
      progress: (t: string) => io.err(t),
      interrupted: watch.interrupted,
    });
  } catch (e) {
    if (!(e instanceof TrainingInterrupted) || e.signal === null) throw e;
    io.err(interruptionReport(e, out, resumeCommand(spec.program, task.name, out, dataDir)));
    return INTERRUPTED_EXIT_CODE;
  } finally {
    watch.dispose();
  }
  const best = result.trainer.best;
  if (!best) throw new UsageError('training ended before the first validation; no model was saved');
  io.out(
    `best validation ${JSON.stringify(best.metrics)} at epoch ${best.epoch}, step ${best.step}; model in ${out}\n`,
  );
  const progress = progressTo(io);
  if (runTest && task.test) await task.test({ modelDir: out, ...dataOptions, io, progress, config: result.config });
  return 0;
}

/** The value of `--<name> v` or `--<name>=v` in raw arguments (before a task's switches are known). */
function rawFlag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/**
 * The task of `eval [<task>] --model <dir> …`: the one named, else the one the model's config.json records
 * (`eval --model <dir>` alone, as the task packages' CLIs document it).
 */
function evalTaskOf(spec: TaskCliSpec, args: readonly string[]): TrainingTaskRegistration {
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) return parseTask(spec, first);
  const dir = rawFlag(args, 'model');
  if (dir === undefined || dir.startsWith('-'))
    throw new UsageError('eval needs --model <dir> (and <task> first unless its config.json records one)');
  const recorded = recordedTrainingTask(readModelDirConfig(dir));
  if (recorded === null)
    throw new UsageError(`${dir}/config.json records no training task; name it: eval <task> --model ${dir}`);
  return parseTask(spec, recorded);
}

async function cmdEval(spec: TaskCliSpec, args: string[], io: CliIO): Promise<void> {
  const task = evalTaskOf(spec, args);
  const defaults = task.evalOptions ?? {};
  const switches = Object.entries(defaults)
    .filter(([, v]) => typeof v === 'boolean')
    .map(([k]) => camelToKebab(k));
  const evalSwitches = new Set(['write', ...switches]);
  const accepted = ['model', 'data-dir', 'write', ...Object.keys(defaults).map(camelToKebab)];
  rejectUnknownFlags(args, accepted, evalSwitches, 'eval', `eval ${task.name}`);
  const { positionals, flags } = parseArgs(args, evalSwitches);
  if (positionals.length > 1)
    throw new UsageError(`eval takes one task, got extra arguments: ${positionals.slice(1).join(' ')}`);
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('eval needs --model <dir>');
  const write = takeBoolean(flags, 'write');
  const dataDir = takeString(flags, 'data-dir');
  const options: Record<string, boolean | number | string> = { ...defaults };
  for (const [key, example] of Object.entries(defaults)) {
    const raw = takeFlag(flags, camelToKebab(key));
    if (raw !== undefined) options[key] = typedValue(camelToKebab(key), raw, example);
  }
  rejectLeftovers(flags, 'eval');
  if (!task.evaluate) throw new UsageError(`task '${task.name}' has no eval command`);
  const progress = progressTo(io);
  await task.evaluate({ modelDir: dir, ...(dataDir ? { dataDir } : {}), io, progress, write, options });
}

function listTasks(spec: TaskCliSpec, io: CliIO): void {
  const tasks = trainingTasks(spec.packages);
  const width = Math.max(4, ...tasks.map((t) => t.name.length));
  for (const t of tasks) io.out(`${t.name.padEnd(width)}  ${t.description}\n`);
}

/**
 * Run a task package's CLI: `help`, `tasks`, `train <task>`, `eval <task>` through the training-task registry, plus
 * the spec's own commands. Returns the exit code: 0 ok, 1 error (a RecurrentError: bad config, data, model file,
 * non-finite loss), 2 usage (the message and the usage are printed), 130 training stopped by Ctrl-C / SIGTERM
 * (after writing the checkpoint and printing the command that resumes).
 */
export async function runTaskCli(spec: TaskCliSpec, argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [cmd, ...rest] = argv;
  const usage = (): string => taskCliUsage(spec);
  try {
    if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      io.out(`${usage()}\n`);
      return cmd ? 0 : 2;
    }
    if (cmd === 'tasks') {
      if (rest.length > 0) throw new UsageError(`tasks takes no arguments, got: ${rest.join(' ')}`);
      listTasks(spec, io);
      return 0;
    }
    const own = spec.commands?.[cmd];
    if (cmd !== 'train' && cmd !== 'eval' && !own) {
      const names = ['tasks', 'train', 'eval', ...Object.keys(spec.commands ?? {})];
      throw new UsageError(`unknown command '${cmd}' (expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)})`);
    }
    await startKernels(io);
    const command = `${spec.program} ${argv.map(quoteArg).join(' ')}`;
    if (cmd === 'train') return await cmdTrain(spec, rest, io, command);
    if (cmd === 'eval') await cmdEval(spec, rest, io);
    else if (own) await own.run(parseArgs(rest, new Set(own.switches ?? [])), { io, command });
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n\n${usage()}\n`);
      return 2;
    }
    if (e instanceof RecurrentError) {
      io.err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
