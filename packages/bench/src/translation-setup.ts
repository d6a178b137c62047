// What the translation workloads (W3, W7) share between @recurrent/text and the tfjs peer: the `train translate`
// defaults, the shipped model directory when it exists (else the same architecture with seeded random weights over a
// joint BPE learned as the training does), the sentences and the training batches. Both sides of a workload get the
// same weights, the same tokens and the same batches in the same order.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { epochGenerator } from '@recurrent/core';
import {
  BpeTokenizer,
  learnJointBpe,
  neverGeneratedIds,
  translationBatches,
  Translator,
  type TranslationExample,
} from '@recurrent/text';
import {
  defaultTranslateConfig,
  encodePairs,
  loadTranslatorDir,
  readMulti30k,
  type TranslateTrainConfig,
} from '@recurrent/text/node';
import type { NamedWeights, TfTranslatorSpec } from './impls/tfjs-translator.js';

/** The shipped model's directory inside @recurrent/text (absent until the trained model is copied there). */
export function shippedTranslatorDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@recurrent/text/package.json');
  return join(dirname(pkg), 'models', 'multi30k-de-en');
}

export interface TranslationSetup {
  model: Translator;
  /** Where the weights came from, for the output. */
  origin: string;
  config: TranslateTrainConfig;
}

let cached: TranslationSetup | null = null;

/**
 * The shipped de→en translator when its directory has a config.json, else a Translator of the `train translate`
 * default architecture with seeded random weights over a joint BPE of the default size learned on the training split.
 */
export function translationSetup(): TranslationSetup {
  if (cached) return cached;
  const config = defaultTranslateConfig();
  const dir = shippedTranslatorDir();
  if (existsSync(join(dir, 'config.json'))) {
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      training?: { bestEpoch?: number; bestStep?: number };
    };
    const when = saved.training?.bestEpoch
      ? ` (saved after epoch ${saved.training.bestEpoch}, step ${saved.training.bestStep})`
      : '';
    cached = { model: loadTranslatorDir(dir).model, origin: `weights of ${dir}${when}`, config };
    return cached;
  }
  const train = readMulti30k('train', config.pair);
  const tokenizer = learnJointBpe(
    train.flatMap((p) => [p.source, p.target]),
    { vocabSize: config.vocabSize, lowercase: config.lowercase },
  );
  const model = new Translator(tokenizer, config.architecture, { seed: config.seed });
  cached = {
    model,
    origin: `no model at ${dir}: the default architecture with seeded random weights (seed ${config.seed})`,
    config,
  };
  return cached;
}

/**
 * A fresh Translator of the training default (architecture and seed) over the setup's tokenizer: what
 * `train translate` starts from, for the training-step workload.
 */
export function freshTrainingModel(setup: TranslationSetup): Translator {
  return new Translator(setup.model.tokenizer, setup.config.architecture, { seed: setup.config.seed });
}

/**
 * Training batches as `train translate` makes them: the first pool (poolBatches × batchSize pairs) of the training
 * split encoded with the model's tokenizer, length-bucketed and shuffled with the epoch-1 generator of the seed.
 */
export function trainingBatches(setup: TranslationSetup): TranslationExample[][] {
  const { config } = setup;
  const pairs = readMulti30k('train', config.pair).slice(0, config.poolBatches * config.batchSize);
  const tokenizer = setup.model.tokenizer;
  if (!(tokenizer instanceof BpeTokenizer))
    throw new Error(`the translator's tokenizer is a ${tokenizer.type} tokenizer, not the joint BPE of training`);
  const examples = encodePairs(tokenizer, pairs);
  return translationBatches(examples, {
    batchSize: config.batchSize,
    generator: epochGenerator(config.seed, 1),
    poolBatches: config.poolBatches,
  }).filter((b) => b.length === config.batchSize);
}

/** The latency sentence: the first validation source of exactly `words` words (13 by default). */
export function latencySentence(setup: TranslationSetup, words = 13): string {
  const val = readMulti30k('val', setup.config.pair);
  const hit = val.find((p) => p.source.trim().split(/\s+/).length === words);
  if (!hit) throw new Error(`no validation sentence of ${words} words`);
  return hit.source;
}

/** The first n validation sources (the batch-throughput workload). */
export function validationSources(setup: TranslationSetup, n: number): string[] {
  return readMulti30k('val', setup.config.pair)
    .slice(0, n)
    .map((p) => p.source);
}

/** A translator's weights as plain arrays, and what the tfjs peer needs to know of its tokenizer and architecture. */
export function tfjsInputs(model: Translator): { weights: NamedWeights; spec: TfTranslatorSpec } {
  const weights: NamedWeights = {};
  for (const [name, t] of Object.entries(model.stateDict())) weights[name] = { data: t.data, shape: t.shape };
  const tok = model.tokenizer;
  return {
    weights,
    spec: {
      dropout: model.architecture.dropout,
      padId: tok.padId,
      bosId: tok.bosId,
      eosId: tok.eosId,
      banned: neverGeneratedIds(tok),
    },
  };
}
