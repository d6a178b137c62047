import {
  processIO,
  runTaskCli,
  rejectLeftovers,
  takeBoolean,
  takeFlag,
  takeNumber,
  takeSeed,
  takeString,
  typedValue,
  UsageError,
  type CliIO,
  type ParsedArgs,
  type TaskCliSpec,
} from '@recurrent/core/node';
import { taskCliUsage } from '@recurrent/core/node';
import { LanguageModel } from '../models/language-model.js';
import { SentimentClassifier } from '../models/sentiment-classifier.js';
import { loadModelDir } from '../models/model-files.js';
import { TEXT_PACKAGE } from '../models/kinds.js';
import { describeTruncation } from '../models/truncation.js';
import '../training/tasks.js';
import { cmdTranslate } from './translate-command.js';

export type { CliIO };

/** The longest `generate --length` (tokens): a larger number is a usage error, not hours of sampling. */
export const MAX_GENERATE_LENGTH = 100_000;

/** Texts from standard input, one per line (blank lines skipped). */
async function stdinTexts(io: CliIO): Promise<string[]> {
  if (!io.readStdin) return [];
  const input = await io.readStdin();
  return input.split(/\r?\n/).filter((line) => line.trim().length > 0);
}

async function cmdPredict({ positionals, flags }: ParsedArgs, io: CliIO): Promise<void> {
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('predict needs --model <dir>');
  const trajFlag = takeFlag(flags, 'trajectory');
  const trajectory = trajFlag === undefined ? true : typedValue('trajectory', trajFlag, true) === true;
  const json = takeBoolean(flags, 'json');
  rejectLeftovers(flags, 'predict');
  const texts = positionals.length > 0 ? positionals : await stdinTexts(io);
  if (texts.length === 0)
    throw new UsageError('predict needs at least one text argument, or texts on standard input (one per line)');
  const model = loadModelDir(dir);
  if (!(model instanceof SentimentClassifier))
    throw new UsageError(`${dir} holds a language model; predict needs a sentiment model (use generate)`);
  for (const text of texts) {
    const p = model.predict(text, { trajectory });
    if (json) {
      io.out(`${JSON.stringify(p)}\n`);
      continue;
    }
    io.out(
      `${p.label} (P(positive) = ${p.probability.toFixed(3)})  ` +
        `${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}\n`,
    );
    if (trajectory) io.out(`  ${p.tokens.map((t, i) => `${t}:${p.trajectory[i]!.toFixed(2)}`).join(' ')}\n`);
    if (p.unknown.length > 0) io.out(`  unknown to the model: ${p.unknown.join(', ')}\n`);
    const cut = p.truncation ? describeTruncation(p.truncation, model.architecture.truncation) : null;
    if (cut) io.out(`  (input truncated: ${cut})\n`);
  }
}

async function cmdGenerate({ positionals, flags }: ParsedArgs, io: CliIO): Promise<void> {
  const dir = takeString(flags, 'model');
  if (!dir) throw new UsageError('generate needs --model <dir>');
  const prefix = takeString(flags, 'prefix') ?? '';
  const length = takeNumber(flags, 'length', { integer: true, min: 0, max: MAX_GENERATE_LENGTH }) ?? 200;
  const temperature = takeNumber(flags, 'temperature', { min: Number.MIN_VALUE });
  const topK = takeNumber(flags, 'top-k', { integer: true, min: 0 });
  const topP = takeNumber(flags, 'top-p', { min: Number.MIN_VALUE, max: 1 });
  const seed = takeSeed(flags) ?? 0;
  const top = takeNumber(flags, 'top', { integer: true, min: 1 });
  const stop = takeString(flags, 'stop');
  rejectLeftovers(flags, 'generate');
  if (stop === '') throw new UsageError('--stop needs a non-empty text (the generated text ends with it)');
  if (positionals.length > 0)
    throw new UsageError(`generate takes no positional arguments (use --prefix), got: ${positionals.join(' ')}`);
  const model = loadModelDir(dir);
  if (!(model instanceof LanguageModel))
    throw new UsageError(`${dir} holds a sentiment model; generate needs a language model`);
  if (top !== undefined) {
    for (const t of model.topK(prefix, top))
      io.out(`${JSON.stringify(t.token).padEnd(16)} ${t.probability.toFixed(4)}\n`);
    return;
  }
  const g = model.generate(prefix, { length, temperature, topK, topP, seed, ...(stop ? { stop } : {}) });
  if (g.unknown.length > 0) io.err(`left out of the prefix (unknown to the model): ${g.unknown.join(', ')}\n`);
  const sep = model.tokenizer.type === 'word' && prefix.length > 0 ? ' ' : '';
  io.out(`${prefix}${sep}${g.text}\n`);
}

/** recurrent-text: the registered text tasks (train/eval through core's registry) plus predict and generate. */
export const TEXT_CLI: TaskCliSpec = {
  program: 'recurrent-text',
  summary: 'train and use the @recurrent/text models',
  packages: [TEXT_PACKAGE],
  commands: {
    predict: {
      usage: 'predict --model <dir> [--no-trajectory] [--json] [<text> ...]   (no text: one text per line on stdin)',
      switches: ['trajectory', 'json'],
      run: (args, { io }) => cmdPredict(args, io),
    },
    generate: {
      usage:
        'generate --model <dir> [--prefix text] [--length 200] [--temperature 1] [--top-k 0] [--top-p 1]\n' +
        '      [--seed 0] [--stop text] [--top 10]   (--stop ends the text at its first match, which it keeps;\n' +
        '      --top lists the most probable next tokens instead of sampling)',
      run: (args, { io }) => cmdGenerate(args, io),
    },
    translate: {
      usage:
        'translate --model <dir> [--beam 5] [--alpha 0.6] [--greedy] [--json] [--batch-size 16]\n' +
        '      (source sentences on stdin, one per line → one translation per line on stdout; notes on stderr)',
      switches: ['greedy', 'json'],
      run: (args, { io }) => cmdTranslate(args, io),
    },
  },
};

/** The usage text (lists the registered tasks). */
export function textCliUsage(): string {
  return taskCliUsage(TEXT_CLI);
}

/** Run the CLI; returns the exit code (0 ok, 1 error, 2 usage). */
export function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  return runTaskCli(TEXT_CLI, argv, io);
}
