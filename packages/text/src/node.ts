// Node-only helpers (file system). The main entry point stays browser-safe.
export { resolveDataDir, dataFile, DatasetNotFoundError, type DataDirOption } from './datasets/data-dir.js';
export { readSst2Sentences, readSst2Glue, readSst2GlueTest, type Sst2Split, type Sst2Options } from './datasets/sst2.js';
export { readImdb, type ImdbReview, type ImdbSplit, type ImdbOptions } from './datasets/imdb.js';
export { readTinyShakespeare, readTinyShakespeareSplits, splitTrainVal } from './datasets/tinyshakespeare.js';
export { saveTokenizerFile, loadTokenizerFile } from './tokenizers/file.js';
export { saveModelDir, loadModelDir, readModelMetrics, loadSentimentClassifierDir, loadLanguageModelDir } from './models/model-files.js';
