#!/usr/bin/env node
// Run by `pnpm build` (before next build). Writes into public/ (none of it is committed):
// - models/: the translators @recurrent/text ships (packages/text/models/<name>/ whose config.json has kind
//   "translator") + manifest.json (the kit's copyModels), each entry with its model card read from the model's own
//   config.json and metrics.json — so the pages offer exactly the directions that exist, with measured figures;
// - gallery/gallery.json: a seeded choice of Multi30k test_2016_flickr sentences with their German, English and
//   French lines, read from the shared data at build time (Multi30k has no licence file — its README allows
//   non-commercial research and educational use — so no extract is committed; the page credits the dataset).
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyModels } from '@recurrent/demo-kit/copy-models';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const publicDir = process.env.COPY_ASSETS_TARGET ?? join(appDir, 'public');

const LANGUAGES = { de: 'German', en: 'English', fr: 'French' };
/** The directions issue 13 ships, first in the picker. */
const ORDER = { 'multi30k-de-en': 0, 'multi30k-en-fr': 1 };

function textPackageDir() {
  const link = join(appDir, 'node_modules', '@recurrent', 'text');
  return existsSync(link) ? realpathSync(link) : join(appDir, '..', '..', 'packages', 'text');
}

function readJson(path, fallback) {
  if (!existsSync(path)) return fallback;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    console.warn(`copy-assets: ${path} is not valid JSON; ignored`);
    return fallback;
  }
}

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x) => (typeof x === 'string' && x !== '' ? x : null);

/** The scores of one decoding of a split in metrics.json ({ bleu, chrf, sentences, … }), or null. */
function scores(entry) {
  if (!entry || typeof entry !== 'object' || num(entry.bleu) === null) return null;
  return {
    bleu: entry.bleu,
    bleuCased13a: num(entry.bleuCased13a),
    chrf: num(entry.chrf),
    sentences: num(entry.sentences),
  };
}

/** What the model card shows, from config.json and metrics.json only. */
function modelCard(config, metrics) {
  const training = config.training && typeof config.training === 'object' ? config.training : {};
  const trainingConfig = training.config && typeof training.config === 'object' ? training.config : {};
  const test = metrics.test_2016_flickr && typeof metrics.test_2016_flickr === 'object' ? metrics.test_2016_flickr : {};
  return {
    parameters: num(metrics.parameters),
    architecture: config.architecture,
    weights: str(config.weights?.dtype),
    data: str(training.data),
    command: str(training.command) ?? str(metrics.command),
    epochs: num(trainingConfig.epochs),
    bestEpoch: num(training.bestEpoch) ?? num(metrics.best?.epoch),
    trainingSeconds: num(metrics.seconds),
    valid: scores(metrics.best?.metrics ?? metrics.valid),
    test: { beam5: scores(test.beam5), greedy: scores(test.greedy) },
  };
}

/** One line for the picker: the test BLEU when measured, else the validation BLEU. */
function metricLine(card) {
  const { beam5, greedy } = card.test;
  const test = beam5 ?? greedy;
  if (test) {
    const of = test.sentences !== null && test.sentences < 1000 ? ` on ${test.sentences} sentences` : '';
    return `test BLEU ${test.bleu.toFixed(1)} (${beam5 ? 'beam 5' : 'greedy'}${of})`;
  }
  return card.valid ? `validation BLEU ${card.valid.bleu.toFixed(1)} (not measured on the test set)` : '';
}

const translators = copyModels({
  source: process.env.RECURRENT_MODELS_DIR ?? join(textPackageDir(), 'models'),
  target: join(publicDir, 'models'),
  required: ['config.json', 'tokenizer.json', 'model.safetensors'],
  label: 'copy-assets',
  describe: (name, dir) => {
    const config = readJson(join(dir, 'config.json'), {});
    if (config.kind !== 'translator')
      return { skip: `config.json kind ${JSON.stringify(config.kind)} is not translator` };
    const source = config.languages?.source;
    const target = config.languages?.target;
    if (!LANGUAGES[source] || !LANGUAGES[target])
      return { skip: `config.json languages ${JSON.stringify(config.languages)} are not two of de, en, fr` };
    const card = modelCard(config, readJson(join(dir, 'metrics.json'), {}));
    return {
      kind: 'translator',
      title: `${LANGUAGES[source]} → ${LANGUAGES[target]}`,
      description: 'Multi30k image descriptions',
      metric: metricLine(card),
      order: ORDER[name] ?? 9,
      languages: { source, target },
      card,
    };
  },
});

// ---- gallery
const GALLERY_SIZE = 36;
const GALLERY_SEED = 13;
const SPLIT = 'test_2016_flickr';

function findMulti30k() {
  const env = process.env.RECURRENT_DATA;
  if (env) return existsSync(join(env, 'multi30k')) ? join(env, 'multi30k') : null;
  for (let dir = appDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data', 'multi30k');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** mulberry32: a small seeded generator, so the gallery is the same on every build. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct line numbers of `total`, drawn with the seed, in file order. */
function galleryLines(total, count, seed) {
  const random = seeded(seed);
  const picked = new Set();
  while (picked.size < Math.min(count, total)) picked.add(Math.floor(random() * total));
  return [...picked].sort((a, b) => a - b);
}

const galleryDir = join(publicDir, 'gallery');
rmSync(galleryDir, { recursive: true, force: true });
mkdirSync(galleryDir, { recursive: true });
const multi30k = findMulti30k();
let sentences = [];
if (multi30k) {
  const read = (lang) => readFileSync(join(multi30k, 'plain', `${SPLIT}.${lang}`), 'utf8').split('\n');
  const sides = { de: read('de'), en: read('en'), fr: read('fr') };
  const total = sides.en.filter((l) => l.trim() !== '').length;
  sentences = galleryLines(total, GALLERY_SIZE, GALLERY_SEED).map((line) => ({
    line: line + 1,
    de: sides.de[line]?.trim() ?? '',
    en: sides.en[line]?.trim() ?? '',
    fr: sides.fr[line]?.trim() ?? '',
  }));
} else {
  console.warn('copy-assets: shared/data/multi30k not found (set RECURRENT_DATA); the gallery is empty');
}
writeFileSync(
  join(galleryDir, 'gallery.json'),
  `${JSON.stringify({ split: SPLIT, seed: GALLERY_SEED, sentences }, null, 2)}\n`,
);
console.log(`copy-assets: ${translators.length} translator(s), ${sentences.length} gallery sentences (${SPLIT})`);
