// Registers this package's training tasks with core's task registry (imported by the Node entry and the CLI).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  registerTrainingTask,
  type EvalContext,
  type TaskCommandContext,
  type TrainingTaskRegistration,
} from '@recurrent/core';
import { UsageError } from '@recurrent/core/node';
import { SentimentClassifier } from '../models/sentiment-classifier.js';
import { LanguageModel } from '../models/language-model.js';
import { loadModelDir } from '../models/model-files.js';
import { BUNDLE_FILES } from '../models/bundle.js';
import { TEXT_PACKAGE } from '../models/kinds.js';
import {
  checkConfig,
  configExamples,
  defaultConfig,
  resolveConfig,
  type ClassifierTrainConfig,
  type LanguageModelTrainConfig,
} from './config.js';
import { classifierTask, evaluateClassifier, type ClassifierData } from './classifier-trainer.js';
import { evaluateLanguageModel, languageModelTask, lmValidationIds } from './lm-trainer.js';
import { classifierData, classifierTestData, languageModelCorpus, type LmCorpus } from './data.js';
import { lexiconAccuracy } from './lexicon.js';
import { updateMetrics } from './metrics-file.js';
import { checkTranslateConfig, defaultTranslateConfig } from './translation-config.js';
import { translationData, translationTask } from './translation-trainer.js';
import { TRANSLATION_EVAL_OPTIONS, translationEval, translationTest } from './translation-eval.js';
import { DEFAULT_TRANSLATOR_ARCHITECTURE } from '../translation/architecture.js';

export { updateMetrics };

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function sentimentModel(dir: string, task: string): SentimentClassifier {
  const model = loadModelDir(dir);
  if (!(model instanceof SentimentClassifier))
    throw new UsageError(`${dir} holds a language model; ${task} needs a sentiment model`);
  return model;
}

/** train sst2|imdb: measure the best model on the test set and record it in metrics.json. */
function classifierTest(task: 'sst2' | 'imdb') {
  return (context: TaskCommandContext): void => {
    const model = sentimentModel(context.modelDir, `the ${task} test`);
    const test = classifierTestData(task, context.dataDir ? { dataDir: context.dataDir } : {});
    const r = evaluateClassifier(model, test.texts, context.progress(`${task} test`, 'texts'));
    updateMetrics(context.modelDir, {
      test: { accuracy: r.accuracy, loss: r.loss, count: r.count, data: test.description },
    });
    context.io.out(`test accuracy ${pct(r.accuracy)} on ${r.count} (${test.description})\n`);
  };
}

/** eval sst2|imdb: test accuracy; sst2 also scores the AFINN and VADER lexicons on the same sentences. */
function classifierEval(task: 'sst2' | 'imdb') {
  return async (context: EvalContext): Promise<void> => {
    const dir = context.modelDir;
    const model = sentimentModel(dir, `eval ${task}`);
    const test = classifierTestData(task, context.dataDir ? { dataDir: context.dataDir } : {});
    const r = evaluateClassifier(model, test.texts, context.progress(`eval ${task}`, 'texts'));
    const rows: [string, number][] = [[`recurrent-text (${dir})`, r.accuracy]];
    const patch: Record<string, unknown> = {
      test: { accuracy: r.accuracy, loss: r.loss, count: r.count, data: test.description },
    };
    if (task === 'sst2' && context.options.lexicon === true) {
      const lex = await lexiconAccuracy(test.texts);
      rows.push(
        [`AFINN (npm sentiment ${lex.afinn.version}, score > 0)`, lex.afinn.accuracy],
        [`VADER (npm vader-sentiment ${lex.vader.version}, compound ≥ 0)`, lex.vader.accuracy],
        ['VADER (compound ≥ 0.05)', lex.vader05.accuracy],
      );
      patch.baselines = lex;
    }
    context.io.out(`${test.description}, ${r.count} examples\n`);
    const width = Math.max(...rows.map(([n]) => n.length));
    for (const [name, acc] of rows) context.io.out(`  ${name.padEnd(width)}  ${pct(acc)}\n`);
    if (context.write) updateMetrics(dir, patch);
  };
}

/** eval charlm|wordlm: validation nats per token and perplexity on the corpus the model was trained with. */
function languageModelEval(task: 'charlm' | 'wordlm') {
  return (context: EvalContext): void => {
    const dir = context.modelDir;
    const model = loadModelDir(dir);
    if (!(model instanceof LanguageModel))
      throw new UsageError(`${dir} holds a sentiment model; eval ${task} needs a language model`);
    const saved = JSON.parse(readFileSync(join(dir, BUNDLE_FILES.config), 'utf8')) as {
      training?: { config?: Record<string, unknown> };
    };
    const config = resolveConfig(task, saved.training?.config ?? {}) as LanguageModelTrainConfig;
    const corpus = languageModelCorpus(config, context.dataDir ? { dataDir: context.dataDir } : {});
    const ids = lmValidationIds(model, corpus.valid, task);
    const progress = context.progress(`eval ${task}`, 'windows');
    const r = evaluateLanguageModel(model, ids, { batchSize: config.batchSize, seqLen: config.seqLen, progress });
    context.io.out(
      `validation (${corpus.description}): ${r.nll.toFixed(4)} nats/token, ` +
        `perplexity ${r.perplexity.toFixed(2)}, ${r.tokens} tokens\n`,
    );
    if (context.write) updateMetrics(dir, { validFull: r });
  };
}

function classifierRegistration(
  task: 'sst2' | 'imdb',
  description: string,
): TrainingTaskRegistration<ClassifierTrainConfig, ClassifierData> {
  return {
    name: task,
    package: TEXT_PACKAGE,
    description,
    defaultConfig: () => defaultConfig(task) as ClassifierTrainConfig,
    optionExamples: configExamples(task),
    validateConfig: checkConfig,
    definition: classifierTask,
    loadData: (config, options) => classifierData(config, options),
    test: classifierTest(task),
    evaluate: classifierEval(task),
    evalOptions: task === 'sst2' ? { lexicon: true } : {},
  };
}

function languageModelRegistration(
  task: 'charlm' | 'wordlm',
  description: string,
): TrainingTaskRegistration<LanguageModelTrainConfig, LmCorpus> {
  return {
    name: task,
    package: TEXT_PACKAGE,
    description,
    defaultConfig: () => defaultConfig(task) as LanguageModelTrainConfig,
    optionExamples: configExamples(task),
    validateConfig: checkConfig,
    definition: languageModelTask,
    loadData: (config, options) => languageModelCorpus(config, options),
    evaluate: languageModelEval(task),
  };
}

/** Register sst2, imdb, charlm and wordlm with core (idempotent; done when the Node entry is imported). */
export function registerTextTasks(): void {
  registerTrainingTask(
    classifierRegistration(
      'sst2',
      'SST-2 sentence sentiment, (Bi)LSTM/GRU classifier; eval: test accuracy and the AFINN/VADER baselines ' +
        '(--no-lexicon skips them)',
    ),
  );
  registerTrainingTask(
    classifierRegistration(
      'imdb',
      'IMDB review sentiment (validation held out of train), (Bi)GRU/LSTM classifier; eval: test accuracy',
    ),
  );
  registerTrainingTask(
    languageModelRegistration(
      'charlm',
      'character language model (tinyshakespeare or IMDB text); eval: validation nats/char, perplexity',
    ),
  );
  registerTrainingTask(
    languageModelRegistration(
      'wordlm',
      'word language model (tinyshakespeare lines or IMDB reviews); eval: validation perplexity',
    ),
  );
  registerTrainingTask({
    name: 'translate',
    package: TEXT_PACKAGE,
    description:
      'Multi30k translation (--pair de-en|en-fr), joint BPE, BiGRU encoder + attentional GRU decoder; ' +
      'eval: BLEU (anchor and 13a), chrF',
    defaultConfig: defaultTranslateConfig,
    optionExamples: { architecture: { ...DEFAULT_TRANSLATOR_ARCHITECTURE } },
    validateConfig: checkTranslateConfig,
    definition: translationTask,
    loadData: (config, options) => translationData(config, options),
    test: translationTest,
    evaluate: translationEval,
    evalOptions: { ...TRANSLATION_EVAL_OPTIONS },
  });
}

registerTextTasks();
