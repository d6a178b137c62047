import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, type EvalContext, type TaskCommandContext } from '@recurrent/core';
import { loadModelDir, UsageError } from '@recurrent/core/node';
import { Translator } from '../translation/translator.js';
import { MULTI30K_PAIRS, MULTI30K_SPLITS, type Multi30kPair, type Multi30kSplit } from '../translation/multi30k.js';
import { TRANSLATOR_FILES } from '../models/translator-files.js';
import { defaultTranslateConfig, type TranslateTrainConfig } from './translation-config.js';
import { evaluateTranslator, translationSplit, type TranslationEvaluation } from './translation-trainer.js';
import { updateMetrics } from './metrics-file.js';
import { readModelMetrics } from '../models/model-files.js';

/** A saved translator and the training config in its config.json (pair, line-count check). */
export function loadTranslatorDir(dir: string): { model: Translator; config: TranslateTrainConfig } {
  const model = loadModelDir(dir);
  if (!(model instanceof Translator))
    throw new UsageError(`${dir} does not hold a translator (config.json "kind" must be "translator")`);
  const path = join(dir, TRANSLATOR_FILES.config);
  const saved = JSON.parse(readFileSync(path, 'utf8')) as {
    training?: { config?: Partial<TranslateTrainConfig> };
    languages?: { source?: unknown; target?: unknown };
  };
  const trained = saved.training?.config ?? {};
  // A model trained elsewhere (e.g. converted from PyTorch) names its pair through "languages" only.
  const named = saved.languages ? `${String(saved.languages.source)}-${String(saved.languages.target)}` : undefined;
  const pair = trained.pair ?? named;
  if (pair === undefined || !(MULTI30K_PAIRS as readonly string[]).includes(pair)) {
    throw new FormatError(
      `${path}: training.config.pair or languages must name a Multi30k pair (${MULTI30K_PAIRS.join(', ')}), ` +
        `got ${JSON.stringify(pair)}`,
    );
  }
  return { model, config: { ...defaultTranslateConfig(), ...trained, pair: pair as Multi30kPair } };
}

export interface TranslationEvalOptions {
  split: Multi30kSplit;
  /** Greedy decoding instead of beam search. */
  greedy: boolean;
  beam: number;
  alpha: number;
  /** Only the first N pairs of the split (0 = all). */
  limit: number;
}

/** The eval options of `eval translate` and their defaults (typed flags). */
export const TRANSLATION_EVAL_OPTIONS: TranslationEvalOptions = {
  split: 'test_2016_flickr',
  greedy: false,
  beam: 5,
  alpha: 0.6,
  limit: 0,
};

function parseEvalOptions(raw: Record<string, boolean | number | string>): TranslationEvalOptions {
  const o = { ...TRANSLATION_EVAL_OPTIONS, ...raw } as TranslationEvalOptions;
  if (!(MULTI30K_SPLITS as readonly string[]).includes(o.split))
    throw new UsageError(`--split must be one of ${MULTI30K_SPLITS.join(', ')}, got '${o.split}'`);
  if (!Number.isInteger(o.beam) || o.beam < 1) throw new UsageError(`--beam must be a positive integer, got ${o.beam}`);
  if (!(o.alpha >= 0)) throw new UsageError(`--alpha must be a number ≥ 0, got ${o.alpha}`);
  if (!Number.isInteger(o.limit) || o.limit < 0)
    throw new UsageError(`--limit must be a non-negative integer, got ${o.limit}`);
  return o;
}

/** "beam5" or "greedy": the key a decoding's results are stored under in metrics.json. */
export function decodingKey(o: Pick<TranslationEvalOptions, 'greedy' | 'beam'>): string {
  return o.greedy ? 'greedy' : `beam${o.beam}`;
}

/** Run one evaluation of a saved translator and print it; returns the metrics.json entry. */
export function runTranslationEval(
  context: TaskCommandContext,
  options: TranslationEvalOptions,
): { entry: Record<string, unknown>; result: TranslationEvaluation } {
  const { model, config } = loadTranslatorDir(context.modelDir);
  const dataOptions = context.dataDir ? { dataDir: context.dataDir } : {};
  const all = translationSplit(config, options.split, dataOptions);
  const pairs = options.limit > 0 ? all.slice(0, options.limit) : all;
  const decode = options.greedy
    ? { method: 'greedy' as const }
    : { method: 'beam' as const, beamSize: options.beam, alpha: options.alpha, nBest: 1 };
  const what = options.greedy ? 'greedy' : `beam ${options.beam}, α ${options.alpha}`;
  const progress = context.progress(`translate ${options.split} (${what})`, 'sentences');
  const r = evaluateTranslator(model, pairs, { ...decode, progress });
  const io = context.io;
  io.out(`Multi30k ${config.pair} ${options.split}, ${pairs.length} of ${all.length} sentences, ${what}\n`);
  io.out(`  BLEU (lowercased, \\w+|[^\\w\\s] tokens)  ${r.bleu.score.toFixed(2)}\n`);
  io.out(`  BLEU (cased, 13a)                      ${r.bleuCased13a.score.toFixed(2)}\n`);
  io.out(`  chrF2                                  ${r.chrf.toFixed(2)}\n`);
  io.out(`  time                                   ${r.seconds.toFixed(1)} s\n`);
  const entry = {
    bleu: r.bleu.score,
    bleuCased13a: r.bleuCased13a.score,
    chrf: r.chrf,
    brevityPenalty: r.bleu.brevityPenalty,
    seconds: r.seconds,
    sentences: pairs.length,
    decoding: options.greedy ? { method: 'greedy' } : { method: 'beam', beamSize: options.beam, alpha: options.alpha },
  };
  return { entry, result: r };
}

function store(dir: string, split: string, key: string, entry: Record<string, unknown>): void {
  const previous = readModelMetrics(dir)[split];
  const current = previous && typeof previous === 'object' ? (previous as Record<string, unknown>) : {};
  updateMetrics(dir, { [split]: { ...current, [key]: entry } });
}

/** `eval translate --model <dir> [--split val|test_2016_flickr] [--greedy] [--beam 5] [--alpha 0.6] [--write]`. */
export function translationEval(context: EvalContext): void {
  const options = parseEvalOptions(context.options);
  const { entry } = runTranslationEval(context, options);
  if (context.write) store(context.modelDir, options.split, decodingKey(options), entry);
}

/** After `train translate`: greedy and beam-5 scores on test_2016_flickr, stored in metrics.json. */
export function translationTest(context: TaskCommandContext): void {
  for (const greedy of [true, false]) {
    const options = { ...TRANSLATION_EVAL_OPTIONS, greedy };
    const { entry } = runTranslationEval(context, options);
    store(context.modelDir, options.split, decodingKey(options), entry);
  }
}
