// Run by `pnpm build` and `pnpm dev` (before next build), with tsx on the packages' TypeScript sources. Writes into
// public/ (none of it is committed; the data stays in shared/data):
// - models/: the models @recurrent/music ships (packages/music/models/<name>/) + manifest.json whose entries carry
//   each model card's facts, read from config.json / metrics.json (lib/model-card.ts);
// - primers/primers.json: built-in primers taken from the test splits — the first bars of JSB and Nottingham test
//   pieces (pitch lists on each set's frame grid) and the opening of Irish test tunes (ABC text, the abc task's split);
// - data/JSB_Chorales.json: the JSB piano rolls (train / valid / test) for "Train it here".
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyModels } from '@recurrent/demo-kit/copy-models';
import { rollToPitchLists, sliceRoll } from '@recurrent/music';
import {
  abcDefaults,
  musicDataPath,
  PIANO_ROLL_DATASETS,
  readAbcData,
  readPianoRollDataset,
} from '@recurrent/music/node';
import { describeMusicModel } from '../lib/model-card';
import type { PrimerLibrary, RollPrimer } from '../lib/protocol';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const publicDir = process.env.COPY_ASSETS_TARGET ?? join(appDir, 'public');

function musicPackageDir(): string {
  const link = join(appDir, 'node_modules', '@recurrent', 'music');
  return existsSync(link) ? realpathSync(link) : join(appDir, '..', '..', 'packages', 'music');
}

const readJson = (path: string): Record<string, unknown> =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};

// ---- models
const models = copyModels({
  source: process.env.RECURRENT_MODELS_DIR ?? join(musicPackageDir(), 'models'),
  target: join(publicDir, 'models'),
  required: ['config.json', 'model.safetensors'],
  optional: ['tokenizer.json'],
  describe: (name, dir) =>
    describeMusicModel(name, readJson(join(dir, 'config.json')), readJson(join(dir, 'metrics.json'))),
  label: 'copy-assets',
});

// ---- primers from the test splits
const PRIMERS_PER_SET = 4;
const primers: PrimerLibrary = { roll: {}, abc: [] };
const rollSets = new Set(models.map((m) => m.dataset).filter((d): d is string => typeof d === 'string'));
for (const dataset of rollSets) {
  if (!(dataset in PIANO_ROLL_DATASETS)) continue;
  const name = dataset as keyof typeof PIANO_ROLL_DATASETS;
  const test = readPianoRollDataset(name).test;
  const frames = name === 'jsb' ? 16 : 32; // four 4/4 bars at 1 (JSB) or 2 (the others) frames a quarter
  const list: RollPrimer[] = [];
  for (const [i, piece] of test.entries()) {
    if (list.length === PRIMERS_PER_SET) break;
    if (piece.frames < frames) continue;
    list.push({
      id: `${name}-test-${i}`,
      title: `${name === 'jsb' ? 'Chorale' : 'Tune'} ${i + 1} of the ${name} test split, first ${frames} frames`,
      pitches: rollToPitchLists(sliceRoll(piece, 0, frames)),
    });
  }
  primers.roll[name] = list;
}
if (models.some((m) => m.family === 'folk')) {
  const { test } = readAbcData(abcDefaults());
  for (const [i, tune] of test.slice(0, PRIMERS_PER_SET).entries()) {
    const lines = tune.split('\n');
    const key = lines.findIndex((l) => l.startsWith('K:'));
    const title =
      lines
        .find((l) => l.startsWith('T:'))
        ?.slice(2)
        .trim() || `tune ${i + 1}`;
    // The header and the first line of music: the model writes the rest.
    primers.abc.push({
      id: `abc-test-${i}`,
      title: `${title} (test tune ${i + 1})`,
      abc: `${lines.slice(0, key + 2).join('\n')}\n`,
    });
  }
}
mkdirSync(join(publicDir, 'primers'), { recursive: true });
writeFileSync(join(publicDir, 'primers', 'primers.json'), `${JSON.stringify(primers)}\n`);

// ---- JSB data for training in the page
const dataDir = join(publicDir, 'data');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
copyFileSync(musicDataPath('jsb', PIANO_ROLL_DATASETS.jsb), join(dataDir, 'JSB_Chorales.json'));
const counts = Object.entries(primers.roll).map(([k, v]) => `${v.length} ${k}`);
console.log(`copy-assets: primers ${[...counts, `${primers.abc.length} abc`].join(', ')}; JSB data for training`);
