// Issue 17's failure classes through recurrent-vision (the scenes captioner; coco shares every code path below the
// task definition): each class once, on a tiny scenes model trained here.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEED } from '@recurrent/core';
import { loadModelDir, RUN_LOCK_FILE } from '@recurrent/core/node';
import { captureCli, firstTensorOfDtype, relabelSafetensorsDtype, runAndSignal } from '@recurrent/test-support';
import { evaluateScenes, SceneCaptioner, sceneSplit } from '../src/index.js';
import { runCli } from '../src/node.js';
import { tempDir, TINY_SCENES_ARGS } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = (...argv: string[]) => captureCli((io) => runCli(argv, io));
const root = tempDir('reliability');
const model = join(root, 'scenes-model');
const png = join(root, 'scene.png');
let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);
const TINY = [...TINY_SCENES_ARGS, '--no-test'];

function modelCopy(): string {
  const dir = freshDir();
  cpSync(model, dir, { recursive: true });
  rmSync(join(dir, 'checkpoint.safetensors'));
  return dir;
}

beforeAll(async () => {
  const train = await cli('train', 'scenes', '--out', model, ...TINY);
  expect(train.code, train.err).toBe(0);
  const scene = sceneSplit('test', 1, { size: 32 })[0]!;
  await sharp(Buffer.from(scene.rgba), { raw: { width: 32, height: 32, channels: 4 } })
    .png()
    .toFile(png);
}, 120_000);

describe('recurrent-vision: file-system shapes', () => {
  it('a directory for the weights, a file as --model, --out under a file: exit 1 naming the path', async () => {
    const dir = modelCopy();
    rmSync(join(dir, 'model.safetensors'));
    mkdirSync(join(dir, 'model.safetensors'));
    const c = await cli('caption', '--model', dir, png);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(new RegExp(`^error: ${dir}/model\\.safetensors: is a directory, expected a file`));
    const asModel = await cli('caption', '--model', png, png);
    expect(asModel.err).toBe(`error: ${png}: is a file, expected a saved model directory (config.json …)\n`);
    const t = await cli('train', 'scenes', '--out', join(png, 'run'), ...TINY);
    expect(t.code).toBe(1);
    expect(t.err).toBe(
      `error: output directory ${join(png, 'run')}: lies under ${png}, which is a file, expected a directory\n`,
    );
  });
});

describe('recurrent-vision: trained models are not overwritten silently', () => {
  it('train into a saved captioner is refused, naming --force and --resume; --force trains', async () => {
    const dir = modelCopy();
    const before = readFileSync(join(dir, 'model.safetensors'));
    const t = await cli('train', 'scenes', '--out', dir, ...TINY);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/already holds a trained model \(config\.json, model\.safetensors\).*--force.*--resume/);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(before)).toBe(true);
    const forced = await cli('train', 'scenes', '--out', dir, ...TINY, '--force');
    expect(forced.code, forced.err).toBe(0);
  });
});

describe('recurrent-vision: integer-stored weights', () => {
  it('the captioner names the file, tensor, expected and stored dtype', async () => {
    const dir = modelCopy();
    const path = join(dir, 'model.safetensors');
    const bytes = new Uint8Array(readFileSync(path));
    const tensor = firstTensorOfDtype(bytes, 'F32');
    writeFileSync(path, relabelSafetensorsDtype(bytes, tensor, 'F32', 'I32'));
    const r = await cli('caption', '--model', dir, png);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain(`${dir}/model.safetensors: tensor '${tensor}' is stored as I32, expected F32`);
  });
});

describe('recurrent-vision: options that do not apply', () => {
  it("another task's flags and config keys list what the task accepts; sceneSeed has the one seed range", async () => {
    const flag = await cli('train', 'scenes', '--out', freshDir(), '--bidirectional');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/unknown option for 'train': --bidirectional \(train scenes accepts --out, /);
    const config = join(root, 'scenes.json');
    writeFileSync(config, JSON.stringify({ architecture: { pooling: 'max' } }));
    const c = await cli('train', 'scenes', '--out', freshDir(), '--config', config);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/^error: config: unknown key 'architecture\.pooling' for task scenes/);
    const seed = String(MAX_SEED + 1);
    const s = await cli('train', 'scenes', '--out', freshDir(), ...TINY, '--scene-seed', seed);
    expect(s.code).toBe(1);
    expect(s.err).toMatch(`config: sceneSeed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  });
});

describe('recurrent-vision: degenerate data', () => {
  it('fewer training scenes than one batch is refused before training; no model is saved', async () => {
    const out = freshDir();
    const r = await cli('train', 'scenes', '--out', out, ...TINY, '--train-scenes', '2');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/--train-scenes given twice/);
    const args = TINY.map((a, i) => (TINY[i - 1] === '--train-scenes' ? '2' : a));
    const t = await cli('train', 'scenes', '--out', out, ...args);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(
      /^error: scenes: the training data gives 0 steps per epoch \(generated scenes: seed 0, train/,
    );
    expect(existsSync(join(out, 'config.json'))).toBe(false);
  });
});

describe('recurrent-vision: the run lock', () => {
  it('a train on a directory whose run is alive is refused, naming its pid', async () => {
    const out = freshDir();
    mkdirSync(out);
    writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    const r = await cli('train', 'scenes', '--out', out, ...TINY);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: ${out} is in use by another training run: process ${process.pid} on `));
  });
});

describe('recurrent-vision: Ctrl-C', () => {
  it('train scenes sent SIGINT exits 130 with its checkpoint and the resume command', async () => {
    const out = freshDir();
    const bin = join(here, '..', 'src', 'cli', 'bin.ts');
    const args = TINY.map((a, i) => (TINY[i - 1] === '--epochs' ? '100000' : a));
    const r = await runAndSignal({
      command: 'node',
      args: ['--conditions=@recurrent/source', '--import', 'tsx', bin, 'train', 'scenes', '--out', out, ...args],
      cwd: join(here, '..', '..', '..'),
      when: /epoch 1 step 3: train loss/,
      signal: 'SIGINT',
    });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(
      /SIGINT: training stopped after step (\d+); the checkpoint of step \1 is written; resume with:/,
    );
    expect(r.err).toContain(`\n  recurrent-vision train scenes --out ${out} --resume\n`);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
  }, 90_000);
});

describe('recurrent-vision: evaluation progress', () => {
  it('the scenes evaluation reports its progress after every batch', () => {
    const captioner = loadModelDir(model);
    if (!(captioner instanceof SceneCaptioner)) throw new Error('not a scenes captioner');
    const scenes = sceneSplit('test', 5, { size: 32 });
    const seen: [number, number][] = [];
    evaluateScenes(captioner, scenes, { batchSize: 2, progress: (d, n) => seen.push([d, n]) });
    expect(seen).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });
});
