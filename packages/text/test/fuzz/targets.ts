// Fuzz targets of @recurrent/text's parsers: tokenizer JSON, saved model directories (sentiment, language model,
// translator; metrics.json), translation input lines and the recurrent-text command line.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  captureCli,
  modelDirTarget,
  mutateArgs,
  mutateJsonText,
  mutateLine,
  TYPED_ERRORS,
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
    timeLimitMs: 5000,
  };
}

interface CliCase {
  argv: string[];
  stdin: string;
}

/** Saved tiny models and an empty data folder for the CLI target (made once per process). */
function cliFixtures(): { sentiment: string; lm: string; translator: string; empty: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'recurrent-fuzz-text-cli-'));
  const write = (name: string, files: ModelDirFiles): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    return dir;
  };
  const empty = join(root, 'no-data');
  mkdirSync(empty);
  return {
    sentiment: write('sentiment', bundleFiles(tinySentiment())),
    lm: write('lm', bundleFiles(tinyLanguageModel())),
    translator: write('translator', translatorFiles(tinyTranslator())),
    empty,
    out: join(root, 'runs'),
  };
}

/**
 * recurrent-text with hostile arguments: exit code 0, 1 or 2 and never an uncaught exception. `train` runs only with
 * an empty data folder (RECURRENT_DATA and --data-dir), so a mutated command line fails on its data, never trains.
 */
export function textCliTarget(): FuzzTarget<CliCase> {
  let fx: ReturnType<typeof cliFixtures> | null = null;
  const templates = (f: NonNullable<typeof fx>): string[][] => [
    ['predict', '--model', f.sentiment, '--json', 'a great film'],
    ['predict', '--model', f.sentiment, '--no-trajectory'],
    ['generate', '--model', f.lm, '--length', '12', '--temperature', '0.8', '--top-k', '3', '--seed', '1'],
    ['generate', '--model', f.lm, '--top', '5', '--prefix', 'a gr'],
    ['translate', '--model', f.translator, '--greedy', '--batch-size', '2'],
    ['translate', '--model', f.translator, '--beam', '2', '--alpha', '0.6', '--json'],
    ['eval', 'sst2', '--model', f.sentiment, '--data-dir', f.empty],
    ['eval', '--model', f.lm, '--data-dir', f.empty],
    ['train', 'sst2', '--out', join(f.out, 'sst2'), '--data-dir', f.empty, '--epochs', '1'],
    ['train', 'charlm', '--out', join(f.out, 'charlm'), '--data-dir', f.empty, '--resume'],
    ['tasks'],
    ['help'],
  ];
  const words = [
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
    'translate',
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
  ];
  return {
    parser: 'CLI arguments (recurrent-text)',
    generate(random) {
      fx ??= cliFixtures();
      const values = [fx.sentiment, fx.lm, fx.translator, fx.empty, join(fx.sentiment, 'config.json'), '-5', '1e9'];
      const argv = mutateArgs(random, random.pick(templates(fx)), { words, values });
      const stdin = Array.from({ length: random.between(0, 3) }, () => mutateLine(random, random.pick(SENTENCES)));
      return { argv, stdin: stdin.join('\n') };
    },
    async run({ argv, stdin }) {
      const saved = process.env.RECURRENT_DATA;
      process.env.RECURRENT_DATA = fx?.empty;
      try {
        const { code, out, err } = await captureCli((io) => runCli(argv, io), { stdin });
        if (code !== 0 && code !== 1 && code !== 2) throw new Error(`exit code ${code}`);
        if (code !== 0 && err === '' && out === '') throw new Error(`exit code ${code} without a message`);
      } finally {
        if (saved === undefined) delete process.env.RECURRENT_DATA;
        else process.env.RECURRENT_DATA = saved;
      }
    },
    rule: () => ({ accepts: [], names: [] }),
    timeLimitMs: 10_000,
  };
}

export function textFuzzTargets(): FuzzTarget<never>[] {
  return [
    tokenizerTarget(),
    ...textModelDirTargets(),
    translationLineTarget(),
    textCliTarget(),
  ] as unknown as FuzzTarget<never>[];
}
