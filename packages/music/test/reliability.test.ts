// Issue 17's failure classes through recurrent-music (jsb piano rolls, the abc folk model): each class once, on the
// shipped models (copied to a temp dir) and the tiny data folder of helpers.ts.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SEED } from '@recurrent/core';
import { RUN_LOCK_FILE } from '@recurrent/core/node';
import { captureCli, firstTensorOfDtype, relabelSafetensorsDtype, runAndSignal } from '@recurrent/test-support';
import { abcNll, loadMusicModelDir, runCli } from '../src/node.js';
import { createPianoRoll, generateTunes, nllPerFrame } from '../src/index.js';
import { tinyRolls, writeTinyMusicData } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const shipped = join(here, '..', 'models');
const root = mkdtempSync(join(tmpdir(), 'recurrent-music-reliability-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cli = (...argv: string[]) => captureCli((io) => runCli(argv, io));
let dirs = 0;
const freshDir = (): string => join(root, `d${dirs++}`);
const data = writeTinyMusicData(join(root, 'data'));
const TINY_JSB = ['--data-dir', data, '--epochs', '1', '--batch-size', '2', '--hidden-size', '4', '--no-test'];

function shippedCopy(name: string): string {
  const dir = freshDir();
  cpSync(join(shipped, name), dir, { recursive: true });
  return dir;
}

describe('recurrent-music: file-system shapes', () => {
  it('a directory for the weights, a file for --out or for --model, a folder in the way of a .mid', async () => {
    const model = shippedCopy('jsb');
    rmSync(join(model, 'model.safetensors'));
    mkdirSync(join(model, 'model.safetensors'));
    const e = await cli('eval', '--model', model, '--data-dir', data);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(new RegExp(`^error: ${model}/model\\.safetensors: is a directory, expected a file`));
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const asModel = await cli('generate', '--model', file, '--out', join(root, 'x.mid'));
    expect(asModel.err).toBe(`error: ${file}: is a file, expected a saved model directory (config.json …)\n`);
    const t = await cli('train', 'jsb', '--out', join(file, 'run'), ...TINY_JSB);
    expect(t.code).toBe(1);
    expect(t.err).toBe(
      `error: output directory ${join(file, 'run')}: lies under ${file}, which is a file, expected a directory\n`,
    );
    const g = await cli('generate', '--model', join(shipped, 'jsb'), '--out', join(file, 'x.mid'), '--steps', '2');
    expect(g.code).toBe(1);
    expect(g.err).toMatch(new RegExp(`^error: --out ${join(file, 'x.mid')}: folder ${file}: is a file`));
    const folder = join(root, 'folder.mid');
    mkdirSync(folder);
    const d = await cli('generate', '--model', join(shipped, 'jsb'), '--out', folder, '--steps', '2');
    expect(d.err).toBe(`error: ${folder}: is a directory, expected a file\n`);
  });
});

describe('recurrent-music: trained models are not overwritten silently', () => {
  it('train jsb into a copy of the shipped jsb model is refused, naming --force and --resume', async () => {
    const model = shippedCopy('jsb');
    const before = readFileSync(join(model, 'model.safetensors'));
    const t = await cli('train', 'jsb', '--out', model, ...TINY_JSB);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/already holds a trained model \(config\.json, model\.safetensors\).*--force.*--resume/);
    expect(readFileSync(join(model, 'model.safetensors')).equals(before)).toBe(true);
    const forced = await cli('train', 'jsb', '--out', model, ...TINY_JSB, '--force');
    expect(forced.code, forced.err).toBe(0);
  });
});

describe('recurrent-music: integer-stored weights', () => {
  it('the piano-roll and folk models name the file, tensor, expected and stored dtype', async () => {
    for (const name of ['jsb', 'abc']) {
      const model = shippedCopy(name);
      const path = join(model, 'model.safetensors');
      const bytes = new Uint8Array(readFileSync(path));
      const tensor = firstTensorOfDtype(bytes, 'F32');
      writeFileSync(path, relabelSafetensorsDtype(bytes, tensor, 'F32', 'I32'));
      const r = await cli('generate', '--model', model, '--out', join(root, `${name}.mid`), '--steps', '4');
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`${model}/model.safetensors: tensor '${tensor}' is stored as I32, expected F32`);
    }
  });
});

describe('recurrent-music: options that do not apply', () => {
  it("another task's flags and config keys list what the task accepts; seeds share one range", async () => {
    const flag = await cli('train', 'jsb', '--out', freshDir(), '--embedding-dim', '8');
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/unknown option for 'train': --embedding-dim \(train jsb accepts --out, /);
    const config = join(root, 'jsb.json');
    writeFileSync(config, JSON.stringify({ architecture: { embeddingDim: 8 } }));
    const c = await cli('train', 'jsb', '--out', freshDir(), '--config', config, '--data-dir', data);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/^error: config: unknown key 'architecture\.embeddingDim' for task jsb/);
    const seed = String(MAX_SEED + 1);
    const g = await cli('generate', '--model', join(shipped, 'jsb'), '--out', join(root, 's.mid'), '--seed', seed);
    expect(g.code).toBe(2);
    expect(g.err).toMatch(`--seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
    const split = await cli('train', 'abc', '--out', freshDir(), '--split-seed', seed, '--data-dir', data);
    expect(split.code).toBe(1);
    expect(split.err).toMatch(`config: splitSeed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  });
});

describe('recurrent-music: degenerate data', () => {
  it('no validation pieces or no training pieces is refused before training; no model is saved', async () => {
    const noValid = writeTinyMusicData(freshDir(), { rolls: { ...tinyRolls(), valid: [] } });
    const out = freshDir();
    const v = await cli('train', 'jsb', '--out', out, ...TINY_JSB.slice(2), '--data-dir', noValid);
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/^error: jsb: the validation set is empty \(jsb piano rolls/);
    expect(existsSync(join(out, 'config.json'))).toBe(false);
    const noTrain = writeTinyMusicData(freshDir(), { rolls: { ...tinyRolls(), train: [] } });
    const t = await cli('train', 'jsb', '--out', freshDir(), ...TINY_JSB.slice(2), '--data-dir', noTrain);
    expect(t.err).toMatch(/^error: jsb: the training set is empty/);
  });
});

describe('recurrent-music: the run lock', () => {
  it('a train on a directory whose run is alive is refused, naming its pid', async () => {
    const out = freshDir();
    mkdirSync(out);
    writeFileSync(join(out, RUN_LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    const r = await cli('train', 'jsb', '--out', out, ...TINY_JSB);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: ${out} is in use by another training run: process ${process.pid} on `));
  });
});

describe('recurrent-music: Ctrl-C', () => {
  it('train jsb sent SIGINT exits 130 with its checkpoint and the resume command', async () => {
    const out = freshDir();
    const bin = join(here, '..', 'src', 'cli', 'bin.ts');
    const tiny = ['--data-dir', data, '--batch-size', '2', '--hidden-size', '4', '--no-test'];
    const args = ['train', 'jsb', '--out', out, ...tiny, '--epochs', '100000', '--patience', '0'];
    const r = await runAndSignal({
      command: 'node',
      args: ['--conditions=@recurrent/source', '--import', 'tsx', bin, ...args],
      cwd: join(here, '..', '..', '..'),
      when: /epoch 3 step \d+: train loss/,
      signal: 'SIGINT',
    });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(
      /SIGINT: training stopped after step (\d+); the checkpoint of step \1 is written; resume with:/,
    );
    expect(r.err).toContain(`\n  recurrent-music train jsb --out ${out} --data-dir ${data} --resume\n`);
    expect(existsSync(join(out, RUN_LOCK_FILE))).toBe(false);
  }, 60_000);
});

describe('recurrent-music: evaluation progress', () => {
  it('piano-roll NLL, the folk model nats/char and tune sampling report their progress to the end', () => {
    const jsb = loadMusicModelDir(join(shipped, 'jsb'));
    if (jsb.family !== 'roll') throw new Error('jsb is not a piano-roll model');
    const seen: [number, number][] = [];
    const rolls = [createPianoRoll(4), createPianoRoll(4), createPianoRoll(4)];
    nllPerFrame(jsb.model, rolls, { batchSize: 2, progress: (d, n) => seen.push([d, n]) });
    expect(seen).toEqual([
      [2, 3],
      [3, 3],
    ]);
    const abc = loadMusicModelDir(join(shipped, 'abc'));
    if (abc.family !== 'folk') throw new Error('abc is not the folk model');
    const chars: [number, number][] = [];
    const tune = 'X:1\nT:T\nM:4/4\nL:1/8\nK:D\n|:dAFA DFAd|fdcd FAdf:|\n';
    abcNll(abc.model, [tune, tune, tune], { batchSize: 2, seqLen: 16 }, (d, n) => chars.push([d, n]));
    expect(chars.at(-1)).toEqual([chars.length, chars.length]);
    const tunes: [number, number][] = [];
    generateTunes(abc.model, { count: 2, maxLength: 20, progress: (d, n) => tunes.push([d, n]) });
    expect(tunes).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});
