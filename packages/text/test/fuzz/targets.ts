// Fuzz targets of @recurrent/text's parsers: tokenizer JSON, saved model directories (sentiment, language model,
// translator; metrics.json), translation input lines and the recurrent-text command line.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  cliTarget,
  modelDirTarget,
  mutateJsonText,
  mutateLine,
  TYPED_ERRORS,
  writeModelDir,
  type CliCase,
  type FuzzTarget,
  type ModelDirFiles,
} from '@recurrent/test-support';
import { loadModelDir as loadRegisteredModelDir } from '@recurrent/core/node';
import {
  BpeTokenizer,
  BUNDLE_FILES,
  CharTokenizer,
  DEFAULT_TRANSLATOR_ARCHITECTURE,
  encodeModelBundle,
  LanguageModel,
  parseTokenizer,
  SentimentClassifier,
  stringifyTokenizer,
  Translator,
  translatorFiles,
  WordTokenizer,
  type TextModel,
} from '../../src/index.js';
import { loadModelDir, readModelMetrics } from '../../src/node.js';
import { runCli } from '../../src/cli/main.js';
import { fixtureTokenizer } from '../translation-fixture-tokenizer.js';

const TEXTS = ['a great and wonderful film', 'a dull , boring mess', 'great acting , wonderful story', 'not good'];
const SENTENCES = ['abc de', 'fgh ij', 'ab ab ab', 'Hello World'];

/** Valid tokenizer files of the three types. */
function validTokenizerTexts(): string[] {
  return [
    stringifyTokenizer(CharTokenizer.fromText(TEXTS.join('\n'))),
    stringifyTokenizer(WordTokenizer.fromTexts(TEXTS)),
    stringifyTokenizer(BpeTokenizer.train(TEXTS, { numMerges: 12 })),
  ];
}

export function tokenizerTarget(): FuzzTarget<string> {
  const valid = validTokenizerTexts();
  return {
    parser: 'tokenizer JSON (text)',
    generate: (random) => mutateJsonText(random, random.pick(valid)),
    run: (text) => parseTokenizer(text, 'tokenizer.json'),
    rule: () => ({ accepts: TYPED_ERRORS, names: ['tokenizer.json'] }),
    inputBytes: (text) => 2 * text.length,
  };
}

function bundleFiles(model: TextModel): ModelDirFiles {
  const b = encodeModelBundle(model, { training: { task: 'sst2' }, metrics: { valid: { accuracy: 0.5 } } });
  return {
    [BUNDLE_FILES.weights]: b.weights,
    [BUNDLE_FILES.tokenizer]: b.tokenizer,
    [BUNDLE_FILES.config]: b.config,
    [BUNDLE_FILES.metrics]: b.metrics,
  };
}

function tinySentiment(): SentimentClassifier {
  return new SentimentClassifier(
    WordTokenizer.fromTexts(TEXTS),
    { embeddingDim: 6, hiddenSize: 5, pooling: 'attention', attentionSize: 4, dropout: 0, embeddingDropout: 0 },
    { seed: 1 },
  );
}

function tinyLanguageModel(): LanguageModel {
  const chars = CharTokenizer.fromText(TEXTS.join('\n'));
  const start = chars.tokenToId('\n');
  if (start === undefined) throw new Error('tinyLanguageModel: no newline in the vocabulary');
  return new LanguageModel(chars, { embeddingDim: 6, hiddenSize: 8, numLayers: 1, dropout: 0, startIds: [start] });
}

function tinyTranslator(): Translator {
  const architecture = {
    ...DEFAULT_TRANSLATOR_ARCHITECTURE,
    embeddingDim: 8,
    encoderHidden: 6,
    decoderHidden: 10,
    attentionSize: 7,
  };
  return new Translator(fixtureTokenizer(20), architecture, { seed: 3 });
}

/** Reads what a text model directory's metrics.json says (what eval --write merges into). */
function loadWithMetrics(dir: string): unknown {
  const model = loadModelDir(dir);
  readModelMetrics(dir);
  return model;
}

export function textModelDirTargets(): FuzzTarget<never>[] {
  return [
    modelDirTarget('model dir (text sentiment)', () => bundleFiles(tinySentiment()), loadWithMetrics),
    modelDirTarget('model dir (text language model)', () => bundleFiles(tinyLanguageModel()), loadWithMetrics),
    modelDirTarget(
      'model dir (text translator)',
      () => translatorFiles(tinyTranslator(), { languages: { source: 'de', target: 'en' } }),
      (dir) => loadRegisteredModelDir(dir),
    ),
  ] as unknown as FuzzTarget<never>[];
}

interface LineCase {
  line: string;
  beam: boolean;
}

/** Hostile source lines through the translator (greedy and beam): a translation or a typed error, in time. */
export function translationLineTarget(): FuzzTarget<LineCase> {
  let model: Translator | null = null;
  return {
    parser: 'translation input lines (text)',
    generate: (random) => ({ line: mutateLine(random, random.pick(SENTENCES)), beam: random.chance(0.3) }),
    run({ line, beam }) {
      model ??= tinyTranslator();
      return model.translate(
        line,
        beam ? { method: 'beam', beamSize: 3, maxSourceTokens: 400 } : { method: 'greedy', maxSourceTokens: 400 },
      );
    },
    rule: () => ({ accepts: TYPED_ERRORS, names: [] }),
    inputBytes: ({ line }) => 2 * line.length,
    // A 1 MB line is normalised (1.3 s) and a 400-subword source beam-searched: 5 s alone at load 20, linear work.
    timeLimitMs: 20_000,
  };
}

/**
 * recurrent-text with hostile arguments and standard input. `train` runs only with an empty data folder
 * (RECURRENT_DATA and --data-dir), so a mutated command line fails on its data and never trains.
 */
export function textCliTarget(): FuzzTarget<CliCase> {
  return cliTarget('CLI arguments (recurrent-text)', runCli, (root) => {
    const sentiment = writeModelDir(root, 'sentiment', bundleFiles(tinySentiment()));
    const lm = writeModelDir(root, 'lm', bundleFiles(tinyLanguageModel()));
    const translator = writeModelDir(root, 'translator', translatorFiles(tinyTranslator()));
    const empty = join(root, 'no-data');
    mkdirSync(empty);
    const out = join(root, 'runs');
    return {
      templates: [
        ['predict', '--model', sentiment, '--json', 'a great film'],
        ['predict', '--model', sentiment, '--no-trajectory'],
        ['generate', '--model', lm, '--length', '12', '--temperature', '0.8', '--top-k', '3', '--seed', '1'],
        ['generate', '--model', lm, '--top', '5', '--prefix', 'a gr'],
        ['translate', '--model', translator, '--greedy', '--batch-size', '2'],
        ['translate', '--model', translator, '--beam', '2', '--alpha', '0.6', '--json'],
        ['eval', 'sst2', '--model', sentiment, '--data-dir', empty],
        ['eval', '--model', lm, '--data-dir', empty],
        ['train', 'sst2', '--out', join(out, 'sst2'), '--data-dir', empty, '--epochs', '1'],
        ['train', 'charlm', '--out', join(out, 'charlm'), '--data-dir', empty, '--resume'],
        ['tasks'],
        ['help'],
      ],
      words: [
        'predict',
        'generate',
        'translate',
        'eval',
        'train',
        'tasks',
        'sst2',
        'imdb',
        'charlm',
        'wordlm',
        '--model',
        '--json',
        '--no-trajectory',
        '--length',
        '--temperature',
        '--top-k',
        '--top-p',
        '--top',
        '--seed',
        '--prefix',
        '--greedy',
        '--beam',
        '--alpha',
        '--batch-size',
        '--write',
        '--out',
        '--resume',
        '--config',
        '--epochs',
        '--hidden-size',
        '--no-test',
        '--lr',
      ],
      values: [sentiment, lm, translator, empty, join(sentiment, 'config.json'), '-5', '1e9'],
      stdinLines: SENTENCES,
      emptyDataDir: empty,
    };
  });
}

export function textFuzzTargets(): FuzzTarget<never>[] {
  return [
    tokenizerTarget(),
    ...textModelDirTargets(),
    translationLineTarget(),
    textCliTarget(),
  ] as unknown as FuzzTarget<never>[];
}
