// Node-only helpers (file system). The main entry point stays browser-safe.
export { resolveDataDir, dataFile, DatasetNotFoundError, type DataDirOption } from './datasets/data-dir.js';
export {
  readSst2Sentences,
  readSst2Glue,
  readSst2GlueTest,
  type Sst2Split,
  type Sst2Options,
} from './datasets/sst2.js';
export { readImdb, type ImdbReview, type ImdbSplit, type ImdbOptions } from './datasets/imdb.js';
export { readTinyShakespeare, readTinyShakespeareSplits, splitTrainVal } from './datasets/tinyshakespeare.js';
export { saveTokenizerFile, loadTokenizerFile } from './tokenizers/file.js';
export {
  saveModelDir,
  loadModelDir,
  readModelMetrics,
  loadSentimentClassifierDir,
  loadLanguageModelDir,
} from './models/model-files.js';
export {
  resolveConfig,
  defaultConfig,
  TASKS,
  type Task,
  type TrainConfig,
  type ClassifierTrainConfig,
  type LanguageModelTrainConfig,
} from './training/config.js';
export {
  trainClassifier,
  evaluateClassifier,
  classifierTask,
  type ClassifierData,
  type ClassifierEvaluation,
} from './training/classifier-trainer.js';
export {
  trainLanguageModel,
  evaluateLanguageModel,
  corpusIds,
  languageModelTask,
  type LanguageModelEvaluation,
} from './training/lm-trainer.js';
export { NonFiniteLossError, TrainingInterrupted, type RunOptions, type TrainResult } from './training/loop.js';
export { loadCheckpoint, CHECKPOINT_FILE, type TrainerState, type ValidationRecord } from './training/checkpoint.js';
export { lexiconAccuracy, type LexiconResult } from './training/lexicon.js';
export { registerTextTasks, updateMetrics } from './training/tasks.js';
export { runCli, textCliUsage, TEXT_CLI } from './cli/main.js';
export {
  readMulti30k,
  readMulti30kSentences,
  pairLanguages,
  MULTI30K_SPLITS,
  MULTI30K_PAIRS,
  MULTI30K_LINES,
  type Multi30kSplit,
  type Multi30kPair,
  type Multi30kLanguage,
  type SentencePair,
  type Multi30kOptions,
} from './translation/multi30k.js';
export { saveTranslatorDir } from './models/translator-dir.js';
export {
  defaultTranslateConfig,
  checkTranslateConfig,
  type TranslateTrainConfig,
} from './training/translation-config.js';
export {
  translationTask,
  translationData,
  translationSplit,
  evaluateTranslator,
  validationLoss,
  encodePairs,
  type TranslationData,
  type TranslationEvaluation,
} from './training/translation-trainer.js';
export {
  loadTranslatorDir,
  runTranslationEval,
  TRANSLATION_EVAL_OPTIONS,
  type TranslationEvalOptions,
} from './training/translation-eval.js';
export { inputLines } from './cli/translate-command.js';
