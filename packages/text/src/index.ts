// Browser-safe entry point: no node: imports here (file readers are in ./node).
export {
  Vocabulary,
  PAD,
  UNK,
  BOS,
  EOS,
  PAD_ID,
  UNK_ID,
  BOS_ID,
  EOS_ID,
  SPECIAL_TOKENS,
} from './tokenizers/vocabulary.js';
export {
  TOKENIZER_FORMAT,
  TOKENIZER_FORMAT_VERSION,
  type TokenizerType,
  type TokenizerJSONBase,
} from './tokenizers/format.js';
export type { Tokenizer } from './tokenizers/tokenizer.js';
export {
  CharTokenizer,
  type CharTokenizerOptions,
  type CharTokenizerJSON,
  type UnknownCharPolicy,
} from './tokenizers/char.js';
export { splitWords } from './tokenizers/word-split.js';
export {
  WordTokenizer,
  type WordTokenizerOptions,
  type WordVocabularyOptions,
  type WordEncodeOptions,
  type WordDecodeOptions,
  type WordTokenizerJSON,
} from './tokenizers/word.js';
export {
  BpeTokenizer,
  bpePieces,
  WORD_BOUNDARY_DISPLAY,
  type BpeTrainOptions,
  type BpeTokenizerJSON,
  type BpeDecodeOptions,
} from './tokenizers/bpe.js';
export { tokenizerFromJSON, parseTokenizer, stringifyTokenizer, type AnyTokenizer } from './tokenizers/load.js';
export {
  normalizeText,
  truncateText,
  prepareInput,
  type NormalizeOptions,
  type TruncateResult,
  type PrepareInputOptions,
  type PreparedInput,
} from './hygiene.js';
export { padSequences, type PadOptions, type PaddedBatch, type Truncation } from './padding.js';
export {
  bucketBatches,
  epochGenerator,
  type LabelledSequence,
  type ClassificationBatch,
  type BucketBatchOptions,
} from './batching.js';
export { streamBatches, type StreamBatch, type StreamBatchOptions } from './stream-batching.js';
export type { LabelledText } from './datasets/types.js';
export { unescapePtb } from './datasets/ptb.js';
export { randomSplit } from './split.js';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  POOLINGS,
  CELLS,
  TRUNCATIONS,
  parseModelConfig,
  checkSentimentArchitecture,
  checkLanguageModelArchitecture,
  type CellKind,
  type Pooling,
  type TokenTruncation,
  type SentimentArchitecture,
  type LanguageModelArchitecture,
  type ModelKind,
  type ModelConfig,
} from './models/config.js';
export {
  describeTruncation,
  keptPositions,
  truncateTokens,
  type InputTruncation,
} from './models/truncation.js';
export {
  SentimentClassifier,
  DEFAULT_SENTIMENT_ARCHITECTURE,
  type SentimentClassifierOptions,
  type TokenIdBatch,
  type PredictOptions,
  type SentimentPrediction,
} from './models/sentiment-classifier.js';
export {
  LanguageModel,
  DEFAULT_LANGUAGE_MODEL_ARCHITECTURE,
  perplexityOfIds,
  type LanguageModelOptions,
  type TokenProbability,
  type TopKOptions,
  type NextTokenDistribution,
  type GenerateOptions,
  type Generation,
  type PerplexityResult,
} from './models/language-model.js';
export {
  BUNDLE_FILES,
  modelConfig,
  encodeModelBundle,
  loadModelFromBytes,
  loadSentimentClassifier,
  loadLanguageModel,
  loadModelBundle,
  loadTextModelFromFiles,
  type TextModel,
  type ModelBundle,
} from './models/bundle.js';
export { registerTextModelKinds, TEXT_PACKAGE, TEXT_MODEL_KINDS } from './models/kinds.js';
export {
  DEFAULT_TRANSLATOR_ARCHITECTURE,
  TRANSLATOR_CELLS,
  TRANSLATOR_ATTENTIONS,
  checkTranslatorArchitecture,
  memoryWidth,
  type TranslatorArchitecture,
  type TranslatorCell,
  type TranslatorAttention,
} from './translation/architecture.js';
export { TranslationDecoder, type TranslationDecoderState, type TranslationMemory } from './translation/decoder.js';
export {
  Translator,
  padRows,
  type TranslationTokenizer,
  type TranslatorOptions,
  type EncodedSource,
} from './translation/translator.js';
export {
  translateTexts,
  type TranslateOptions,
  type DecodeMethod,
  type LengthNormalization,
  type TranslationHypothesis,
  type TranslationResult,
  type TranslationTimings,
} from './translation/translate.js';
export {
  DEFAULT_MAX_LENGTH_RATIO,
  DEFAULT_MAX_LENGTH_OFFSET,
  outputLengthLimit,
  neverGeneratedIds,
} from './translation/search-limits.js';
export { guardDecoding, type GuardOptions, type GuardedState } from './translation/guards.js';
export {
  learnJointBpe,
  withoutNumericMerges,
  digitTokenIds,
  numberRuns,
  numbersIn,
  type JointBpeOptions,
} from './translation/subwords.js';
export {
  translationLoss,
  translationBatches,
  type TranslationExample,
  type TranslationLossOptions,
  type TranslationBatchOptions,
} from './translation/loss.js';
export {
  corpusBleu,
  tokenizeAnchor,
  tokenize13a,
  splitWhitespace,
  type BleuOptions,
  type BleuResult,
  type BleuSmoothing,
} from './translation/bleu.js';
export { corpusChrf, type ChrfOptions } from './translation/chrf.js';
export { scoreTranslations, type TranslationScores } from './translation/metrics.js';
export {
  TRANSLATOR_KIND,
  TRANSLATOR_FILES,
  WEIGHT_STORAGES,
  translatorFiles,
  loadTranslatorFiles,
  type WeightStorage,
  type TranslatorConfigJson,
  type TranslatorFileOptions,
} from './models/translator-files.js';
