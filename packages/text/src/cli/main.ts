import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { initWasm, RecurrentError } from '@recurrent/core';
import { initWasmThreads } from '@recurrent/core/node';
import { LanguageModel } from '../models/language-model.js';
import { SentimentClassifier } from '../models/sentiment-classifier.js';
import { loadModelDir, readModelMetrics } from '../models/model-files.js';
import { BUNDLE_FILES } from '../models/bundle.js';
import { resolveConfig, TASKS, type Task, type TrainConfig } from '../training/config.js';
import { trainClassifier, evaluateClassifier } from '../training/classifier-trainer.js';
import { trainLanguageModel, evaluateLanguageModel, lmValidationIds } from '../training/lm-trainer.js';
import { classifierData, classifierTestData, languageModelCorpus } from '../training/data.js';
import { lexiconAccuracy } from '../training/lexicon.js';
import { NonFiniteLossError } from '../training/loop.js';
import { kebabToCamel, parseArgs, rejectLeftovers, takeBoolean, takeFlag, takeNumber, takeString, typedValue, UsageError } from './args.js';

export const USAGE = `recurrent-text — train and use the @recurrent/text models

  recurrent-text train <task> --out <dir> [--config file.json] [--<option> value ...] [--resume] [--no-test]
      task: sst2 | imdb | charlm | wordlm. Options are the config keys in kebab case (--epochs 5, --hidden-size 256,
      --pooling attention, --no-bidirectional ...); --resume continues the run in <dir> from its last checkpoint.
  recurrent-text eval <task> --model <dir> [--write] [--no-lexicon]
      sst2/imdb: test accuracy (sst2 also prints the AFINN and VADER lexicon baselines); charlm/wordlm: validation
      nats per token and perplexity. --write stores the result in <dir>/metrics.json.
  recurrent-text predict --model <dir> [--no-trajectory] [--json] <text> ...
  recurrent-text generate --model <dir> [--prefix text] [--length 200] [--temperature 1] [--top-k 0] [--top-p 1]
      [--seed 0] [--top 10]   (--top lists the most probable next tokens instead of sampling)

Common: --data-dir <dir> (default $RECURRENT_DATA or the nearest shared/data).
RECURRENT_THREADS=N runs large matrix products on N threads (same results, faster training on several cores).`;

const BOOLEAN_FLAGS = new Set(['resume', 'test', 'write', 'lexicon', 'trajectory', 'json', 'bidirectional', 'help']);
const ARCH_KEYS = new Set(['embeddingDim', 'hiddenSize', 'numLayers', 'cell', 'bidirectional', 'pooling', 'attentionSize', 'dropout', 'embeddingDropout', 'maxTokens', 'truncation']);
const ARCH_EXAMPLES: Record<string, unknown> = { cell: '', pooling: '', truncation: '', bidirectional: true };

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIO: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function parseTask(raw: string | undefined): Task {
  if (!raw) throw new UsageError(`missing <task> (one of ${TASKS.join(', ')})`);
  if (!(TASKS as readonly string[]).includes(raw)) throw new UsageError(`unknown task '${raw}' (expected one of ${TASKS.join(', ')})`);
  return raw as Task;
}

/** Config overrides from the remaining --flags, typed by the task's defaults. */
function configFlags(task: Task, flags: Map<string, string | true>): Record<string, unknown> {
  const base = resolveConfig(task) as unknown as Record<string, unknown>;
  const arch = base.architecture as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const architecture: Record<string, unknown> = {};
  for (const [flag, raw] of [...flags]) {
    const key = kebabToCamel(flag);
    if (ARCH_KEYS.has(key)) {
      architecture[key] = typedValue(flag, raw, arch[key] ?? ARCH_EXAMPLES[key] ?? 0);
    } else if (key in base && key !== 'architecture' && key !== 'task') {
      out[key] = typedValue(flag, raw, base[key]);
    } else continue;
    flags.delete(flag);
  }
  if (Object.keys(architecture).length > 0) out.architecture = architecture;
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new UsageError(`--config ${path}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`--config ${path}: must be a JSON object`);
  return json as Record<string, unknown>;
}

function updateMetrics(dir: string, patch: Record<string, unknown>): void {
  const path = join(dir, BUNDLE_FILES.metrics);
  const next = { ...readModelMetrics(dir), ...patch };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, path);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

async function cmdTrain(args: string[], io: CliIO, command: string): Promise<void> {
  const { positionals, flags } = parseArgs(args, BOOLEAN_FLAGS);
  const task = parseTask(positionals[0]);
  if (positionals.length > 1) throw new UsageError(`train takes one task, got extra arguments: ${positionals.slice(1).join(' ')}`);
  const out = takeString(flags, 'out');
  if (!out) throw new UsageError('train needs --out <dir>');
  const resume = takeBoolean(flags, 'resume');
  const testFlag = takeFlag(flags, 'test');
  const runTest = testFlag === undefined ? true : typedValue('test', testFlag, true) === true;
  const dataDir = takeString(flags, 'data-dir');
  const configPath = takeString(flags, 'config');
  const overrides = configFlags(task, flags);
  rejectLeftovers(flags, 'train');
  if (resume && (configPath || Object.keys(overrides).length > 0)) throw new UsageError('--resume continues with the checkpoint\'s own config; do not pass --config or options with it');
  const config: TrainConfig = resolveConfig(task, configPath ? readConfigFile(configPath) : {}, overrides);
  const dataOpt = dataDir ? { dataDir } : {};
  const run = { outDir: out, resume, command, log: (l: string) => io.err(`${l}\n`), progress: (t: string) => io.err(t) };
  if (config.task === 'sst2' || config.task === 'imdb') {
    const result = trainClassifier(config, classifierData(config, dataOpt), run);
    if (!result.savedModel) throw new UsageError('training ended before the first validation; no model was saved');
    io.out(`best validation ${JSON.stringify(result.trainer.best?.metrics)} at epoch ${result.trainer.best?.epoch}; model in ${out}\n`);
    if (runTest) {
      const model = loadModelDir(out) as SentimentClassifier;
      const test = classifierTestData(config.task, dataOpt);
      const r = evaluateClassifier(model, test.texts);
      updateMetrics(out, { test: { accuracy: r.accuracy, loss: r.loss, count: r.count, data: test.description } });
      io.out(`test accuracy ${pct(r.accuracy)} on ${r.count} (${test.description})\n`);
    }
  } else if (config.task === 'charlm' || config.task === 'wordlm') {
    const result = trainLanguageModel(config, languageModelCorpus(config, dataOpt), run);
    if (!result.savedModel) throw new UsageError('training ended before the first validation; no model was saved');
    io.out(`best validation ${JSON.stringify(result.trainer.best?.metrics)} at step ${result.trainer.best?.step}; model in ${out}\n`);
  }
}

async function cmdEval(args: string[], io: CliIO): Promise<void> {
  const { positionals, flags } = parseArgs(args, BOOLEAN_FLAGS);
  const task = parseTask(positionals[0]);
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('eval needs --model <dir>');
  const write = takeBoolean(flags, 'write');
  const lexFlag = takeFlag(flags, 'lexicon');
  const lexicon = lexFlag === undefined ? true : typedValue('lexicon', lexFlag, true) === true;
  const dataDir = takeString(flags, 'data-dir');
  rejectLeftovers(flags, 'eval');
  const dataOpt = dataDir ? { dataDir } : {};
  const model = loadModelDir(dir);
  if (task === 'sst2' || task === 'imdb') {
    if (!(model instanceof SentimentClassifier)) throw new UsageError(`${dir} holds a language model; eval ${task} needs a sentiment model`);
    const test = classifierTestData(task, dataOpt);
    const r = evaluateClassifier(model, test.texts);
    const rows: [string, number][] = [[`recurrent-text (${dir})`, r.accuracy]];
    const patch: Record<string, unknown> = { test: { accuracy: r.accuracy, loss: r.loss, count: r.count, data: test.description } };
    if (task === 'sst2' && lexicon) {
      const lex = await lexiconAccuracy(test.texts);
      rows.push(
        [`AFINN (npm sentiment ${lex.afinn.version}, score > 0)`, lex.afinn.accuracy],
        [`VADER (npm vader-sentiment ${lex.vader.version}, compound ≥ 0)`, lex.vader.accuracy],
        [`VADER (compound ≥ 0.05)`, lex.vader05.accuracy],
      );
      patch.baselines = lex;
    }
    io.out(`${test.description}, ${r.count} examples\n`);
    const width = Math.max(...rows.map(([n]) => n.length));
    for (const [name, acc] of rows) io.out(`  ${name.padEnd(width)}  ${pct(acc)}\n`);
    if (write) updateMetrics(dir, patch);
    return;
  }
  if (!(model instanceof LanguageModel)) throw new UsageError(`${dir} holds a sentiment model; eval ${task} needs a language model`);
  const corpusConfig = resolveConfig(task, (readConfigJson(dir).training as { config?: Record<string, unknown> } | undefined)?.config ?? {}) as Extract<TrainConfig, { task: 'charlm' | 'wordlm' }>;
  const corpus = languageModelCorpus(corpusConfig, dataOpt);
  const ids = lmValidationIds(model, corpus.valid, task);
  const r = evaluateLanguageModel(model, ids, { batchSize: corpusConfig.batchSize, seqLen: corpusConfig.seqLen });
  io.out(`validation (${corpus.description}): ${r.nll.toFixed(4)} nats/token, perplexity ${r.perplexity.toFixed(2)}, ${r.tokens} tokens\n`);
  if (write) updateMetrics(dir, { validFull: r });
}

function readConfigJson(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, BUNDLE_FILES.config), 'utf8')) as Record<string, unknown>;
}

async function cmdPredict(args: string[], io: CliIO): Promise<void> {
  const { positionals, flags } = parseArgs(args, BOOLEAN_FLAGS);
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('predict needs --model <dir>');
  const trajFlag = takeFlag(flags, 'trajectory');
  const trajectory = trajFlag === undefined ? true : typedValue('trajectory', trajFlag, true) === true;
  const json = takeBoolean(flags, 'json');
  rejectLeftovers(flags, 'predict');
  if (positionals.length === 0) throw new UsageError('predict needs at least one text argument');
  const model = loadModelDir(dir);
  if (!(model instanceof SentimentClassifier)) throw new UsageError(`${dir} holds a language model; predict needs a sentiment model (use generate)`);
  for (const text of positionals) {
    const p = model.predict(text, { trajectory });
    if (json) {
      io.out(`${JSON.stringify(p)}\n`);
      continue;
    }
    io.out(`${p.label} (P(positive) = ${p.probability.toFixed(3)})  ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}\n`);
    if (trajectory) io.out(`  ${p.tokens.map((t, i) => `${t}:${p.trajectory[i]!.toFixed(2)}`).join(' ')}\n`);
    if (p.unknown.length > 0) io.out(`  unknown to the model: ${p.unknown.join(', ')}\n`);
    if (p.truncated) io.out(`  (input truncated to ${model.architecture.maxTokens} tokens)\n`);
  }
}

async function cmdGenerate(args: string[], io: CliIO): Promise<void> {
  const { positionals, flags } = parseArgs(args, BOOLEAN_FLAGS);
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('generate needs --model <dir>');
  const prefix = takeString(flags, 'prefix') ?? '';
  const length = takeNumber(flags, 'length', { integer: true, min: 0 }) ?? 200;
  const temperature = takeNumber(flags, 'temperature', { min: Number.MIN_VALUE });
  const topK = takeNumber(flags, 'top-k', { integer: true, min: 0 });
  const topP = takeNumber(flags, 'top-p', { min: Number.MIN_VALUE, max: 1 });
  const seed = takeNumber(flags, 'seed', { integer: true, min: 0 }) ?? 0;
  const top = takeNumber(flags, 'top', { integer: true, min: 1 });
  rejectLeftovers(flags, 'generate');
  if (positionals.length > 0) throw new UsageError(`generate takes no positional arguments (use --prefix), got: ${positionals.join(' ')}`);
  const model = loadModelDir(dir);
  if (!(model instanceof LanguageModel)) throw new UsageError(`${dir} holds a sentiment model; generate needs a language model`);
  if (top !== undefined) {
    for (const t of model.topK(prefix, top)) io.out(`${JSON.stringify(t.token).padEnd(16)} ${t.probability.toFixed(4)}\n`);
    return;
  }
  const g = model.generate(prefix, { length, temperature, topK, topP, seed });
  if (g.unknown.length > 0) io.err(`left out of the prefix (unknown to the model): ${g.unknown.join(', ')}\n`);
  const sep = model.tokenizer.type === 'word' && prefix.length > 0 ? ' ' : '';
  io.out(`${prefix}${sep}${g.text}\n`);
}

/**
 * WASM SIMD kernels on one thread, or with RECURRENT_THREADS=N on N threads (Node worker threads sharing the wasm
 * memory; large products are split by rows and give bit-identical results, so a model trained either way is the same).
 */
async function startKernels(io: CliIO): Promise<void> {
  const raw = process.env.RECURRENT_THREADS;
  if (raw === undefined || raw === '') {
    await initWasm();
    return;
  }
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`RECURRENT_THREADS must be a positive integer, got ${JSON.stringify(raw)}`);
  const got = await initWasmThreads({ threads });
  if (got !== threads) io.err(`RECURRENT_THREADS=${threads}: WebAssembly SIMD is not available, running the TypeScript kernels on one thread\n`);
}

/** Run the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      io.out(`${USAGE}\n`);
      return cmd ? 0 : 2;
    }
    await startKernels(io);
    const command = `recurrent-text ${argv.map((a) => (/^[\w.,/:=@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`;
    switch (cmd) {
      case 'train':
        await cmdTrain(rest, io, command);
        return 0;
      case 'eval':
        await cmdEval(rest, io);
        return 0;
      case 'predict':
        await cmdPredict(rest, io);
        return 0;
      case 'generate':
        await cmdGenerate(rest, io);
        return 0;
      default:
        throw new UsageError(`unknown command '${cmd}' (expected train, eval, predict or generate)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof NonFiniteLossError || e instanceof RecurrentError) {
      io.err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
