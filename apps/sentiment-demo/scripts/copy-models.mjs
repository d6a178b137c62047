#!/usr/bin/env node
// Run by `pnpm build` (before next build): copies the models that @recurrent/text ships (packages/text/models/<name>/)
// into public/models/ and writes public/models/manifest.json listing them (the kit's copyModels), so the pages offer
// exactly the models that exist. What is this app's: which folders are its models, their titles and metric line.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyModels } from '@recurrent/demo-kit/copy-models';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** Display names for the models issue 4 asks for; any other shipped model is listed under its folder name. */
const TITLES = {
  sst2: { title: 'SST-2', description: 'Movie-review sentences (Stanford Sentiment Treebank)', order: 0 },
  imdb: { title: 'IMDB', description: 'Full-length movie reviews', order: 1 },
  charlm: {
    title: 'Characters · Shakespeare',
    description: 'Character-level LSTM trained on tinyshakespeare',
    order: 0,
  },
  wordlm: { title: 'Words · IMDB reviews', description: 'Word-level LSTM trained on IMDB reviews', order: 1 },
};

/** packages/text/models, found through the workspace link node_modules/@recurrent/text. */
function resolveModelsDir() {
  const link = join(appDir, 'node_modules', '@recurrent', 'text');
  const packageDir = existsSync(link) ? realpathSync(link) : join(appDir, '..', '..', 'packages', 'text');
  return join(packageDir, 'models');
}

/** One line about how good the model is, from the metrics.json the training CLI writes ('' when there is none). */
function describeMetrics(path, kind, tokenizer) {
  if (!existsSync(path)) return '';
  let m;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    console.warn(`copy-models: ${path} is not valid JSON; no metric shown`);
    return '';
  }
  const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  if (kind === 'sentiment') {
    const test = num(m?.test?.accuracy);
    if (test !== undefined) return `test accuracy ${(100 * test).toFixed(1)} %`;
    const valid = num(m?.valid?.accuracy);
    return valid !== undefined ? `validation accuracy ${(100 * valid).toFixed(1)} %` : '';
  }
  const v = m?.validFull ?? m?.valid;
  const nll = num(v?.nll);
  if (nll === undefined) return '';
  return tokenizer === 'char'
    ? `validation ${nll.toFixed(2)} nats/char`
    : `validation perplexity ${Math.exp(nll).toFixed(0)}`;
}

/** The manifest entry of a model folder, or why it is not one of this app's. */
function describe(name, dir) {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  if (config.kind !== 'sentiment' && config.kind !== 'language-model') {
    return { skip: `config.json kind ${JSON.stringify(config.kind)} is not sentiment or language-model` };
  }
  const tokenizer = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).type;
  const known = TITLES[name] ?? { title: name, description: '', order: 99 };
  const metric = describeMetrics(join(dir, 'metrics.json'), config.kind, tokenizer);
  const { title, description, order } = known;
  return { kind: config.kind, tokenizer, title, description, metric, order };
}

copyModels({
  source: process.env.RECURRENT_MODELS_DIR ?? resolveModelsDir(),
  target: process.env.COPY_MODELS_TARGET ?? join(appDir, 'public', 'models'),
  required: ['config.json', 'tokenizer.json', 'model.safetensors'],
  describe,
});
