import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptionVocabulary, CocoCaptioner, sceneSplit } from '../src/index.js';
import { readCocoMini, runCli, saveVisionModel } from '../src/node.js';
import { pngClaiming, pseudoRandomBytes, tempDir, TINY_SCENES_ARGS } from './helpers.js';
import { captureCli } from '@recurrent/test-support';

const cli = (...argv: string[]) => captureCli((io) => runCli(argv, io));

const dir = tempDir('cli');
const model = join(dir, 'scenes-model');
const scenePng = join(dir, 'scene.png');

beforeAll(async () => {
  const train = await cli('train', 'scenes', '--out', model, ...TINY_SCENES_ARGS);
  expect(train.code, train.err).toBe(0);
  expect(train.out).toMatch(/^test: \{"split":"test","scenes":4,"exact_match":/m);
  const scene = sceneSplit('test', 1, { size: 32 })[0]!;
  await sharp(Buffer.from(scene.rgba), { raw: { width: 32, height: 32, channels: 4 } })
    .png()
    .toFile(scenePng);
}, 120_000);

describe('recurrent-vision', () => {
  it('help lists the scenes and coco tasks; no command is a usage error (exit 2)', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^ {2}scenes {2}synthetic scenes/m);
    expect(help.out).toMatch(/^ {2}coco {4}coco-mini photos/m);
    expect((await cli()).code).toBe(2);
    expect((await cli('tasks')).out.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('eval --model <dir> --json prints one JSON object with exact_match, pointing and bleu4', async () => {
    for (const split of ['test', 'heldout', 'val']) {
      const r = await cli('eval', '--model', model, '--split', split, '--json');
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out) as Record<string, unknown>;
      expect(json).toMatchObject({ split, scenes: 4 });
      for (const key of ['exact_match', 'pointing', 'bleu4']) expect(typeof json[key]).toBe('number');
    }
    const text = await cli('eval', '--model', model);
    expect(text.out).toMatch(/^exact_match +[0-9.]+$/m);
    const bad = await cli('eval', '--model', model, '--split', 'train');
    expect([bad.code, bad.err]).toEqual([2, expect.stringContaining('--split must be test, heldout or val')]);
  });

  it('caption prints <path>\\t<caption> per image; --json adds probabilities and attention maps', async () => {
    const r = await cli('caption', '--model', model, scenePng, scenePng);
    expect(r.code, r.err).toBe(0);
    // not trimmed: a tiny model's caption may be empty, and the line is then the path and its tab
    const lines = r.out.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.startsWith(`${scenePng}\t`)).toBe(true);
    const j = await cli('caption', '--model', model, '--beam', '3', '--json', scenePng);
    const json = JSON.parse(j.out) as {
      words: string[];
      probabilities: number[];
      attention: number[][];
      nBest: unknown[];
    };
    expect(json.attention.length).toBe(json.probabilities.length);
    expect(json.attention[0]!.length).toBe(16 * 16);
    expect(json.nBest).toHaveLength(3);
  });

  it('bad input: missing model, corrupt and huge images → exit 1 with the file named; usage errors → 2', async () => {
    const missing = await cli('caption', '--model', join(dir, 'nope'), scenePng);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/nope\/config\.json: missing/)]);
    const missingEval = await cli('eval', '--model', join(dir, 'nope'));
    expect([missingEval.code, missingEval.err]).toEqual([1, expect.stringMatching(/nope\/config\.json: missing/)]);
    const corrupt = join(dir, 'corrupt.jpg');
    writeFileSync(corrupt, pseudoRandomBytes(5000, 3));
    const c = await cli('caption', '--model', model, corrupt);
    expect([c.code, c.err]).toEqual([1, expect.stringContaining('corrupt.jpg')]);
    const bomb = join(dir, 'bomb.png');
    writeFileSync(bomb, pngClaiming(20000, 20000));
    const b = await cli('caption', '--model', model, bomb);
    expect([b.code, b.err]).toEqual([1, expect.stringMatching(/bomb\.png: 20000×20000 = 400000000 pixels is over/)]);
    expect((await cli('caption', '--model', model)).code).toBe(2);
    expect((await cli('caption', '--model', model, '--beam', '0', scenePng)).code).toBe(2);
    expect((await cli('train', 'scenes', '--out', join(dir, 'x'), '--hidden-size', 'big')).code).toBe(2);
    const odd = await cli('train', 'scenes', '--out', join(dir, 'y'), '--encoder-width', '3');
    expect([odd.code, odd.err]).toEqual([1, expect.stringContaining('architecture.encoderWidth must be even, got 3')]);
  });
});

const photos = (() => {
  try {
    return readCocoMini({ split: 'val' });
  } catch {
    return [];
  }
})();

describe.skipIf(photos.length === 0)('recurrent-vision caption with a photo captioner', () => {
  it('--json carries the detector classes and boxes beside the caption', async () => {
    const vocabulary = new CaptionVocabulary(['a', 'cat', 'dog', 'on', 'the']);
    const coco = new CocoCaptioner({ grid: 'grid10', embDim: 4, hiddenSize: 8, dropout: 0, maxLength: 6 }, vocabulary, {
      seed: 1,
    });
    const cocoDir = join(dir, 'coco-model');
    saveVisionModel(cocoDir, coco, { training: {}, metrics: {} });
    const cat = photos.find((p) => p.imageId === 358083) ?? photos[0]!;
    const r = await cli('caption', '--model', cocoDir, '--json', cat.path);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      caption: string;
      classes: { label: string }[];
      detections: unknown[];
      grid: number[];
    };
    expect(json.grid).toEqual([10, 10]);
    expect(json.classes).toHaveLength(5);
    expect(Array.isArray(json.detections)).toBe(true);
    if (cat.imageId === 358083) expect(json.classes[0]!.label).toBe('Cat');
  }, 60_000);
});
