import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { FormatError } from '@recurrent/core';
import { imageToTensor } from '../src/index.js';
import { readImage, readCocoMini } from '../src/node.js';
import { pngClaiming, pseudoRandomBytes, tempDir } from './helpers.js';

const dir = tempDir('image-io');

/** A 37×23 RGBA PNG with random colours and alpha, written by pngjs. */
function randomPng(): { path: string; pixels: Uint8Array } {
  const png = new PNG({ width: 37, height: 23 });
  const pixels = pseudoRandomBytes(37 * 23 * 4, 7);
  png.data = Buffer.from(pixels);
  const path = join(dir, 'random.png');
  writeFileSync(path, PNG.sync.write(png));
  return { path, pixels };
}

function cocoPhotos() {
  try {
    return readCocoMini();
  } catch {
    return [];
  }
}

describe('readImage (sharp)', () => {
  it('decodes a PNG to its exact RGBA pixels and the same tensor as an independent decoder (pngjs)', async () => {
    const { path, pixels } = randomPng();
    const viaSharp = await readImage(path);
    expect(viaSharp.format).toBe('png');
    expect([viaSharp.width, viaSharp.height]).toEqual([37, 23]);
    expect(Buffer.from(viaSharp.data).equals(Buffer.from(pixels))).toBe(true);
    const decoded = PNG.sync.read(readFileSync(path));
    const viaPngjs = { data: new Uint8Array(decoded.data), width: decoded.width, height: decoded.height };
    for (const size of [
      [16, 16],
      [23, 37],
      [50, 41],
    ] as const) {
      const a = imageToTensor(viaSharp, { size }).toArray();
      const b = imageToTensor(viaPngjs, { size }).toArray();
      expect(a).toEqual(b);
    }
  });

  it('decodes lossless WebP and JPEG', async () => {
    const { pixels } = randomPng();
    const webp = await sharp(Buffer.from(pixels), { raw: { width: 37, height: 23, channels: 4 } })
      .webp({ lossless: true, exact: true })
      .toBuffer();
    const img = await readImage(new Uint8Array(webp), { name: 'lossless.webp' });
    expect(img.format).toBe('webp');
    expect(Buffer.from(img.data).equals(Buffer.from(pixels))).toBe(true);
    const jpeg = await sharp(Buffer.from(pixels), { raw: { width: 37, height: 23, channels: 4 } })
      .jpeg()
      .toBuffer();
    const j = await readImage(new Uint8Array(jpeg), { name: 'x.jpg' });
    expect([j.format, j.width, j.height, j.data.length]).toEqual(['jpeg', 37, 23, 37 * 23 * 4]);
  });

  it.skipIf(cocoPhotos().length === 0)('reads a coco-mini photo at its stated size', async () => {
    const photo = cocoPhotos()[0]!;
    const img = await readImage(photo.path);
    expect([img.format, img.width, img.height]).toEqual(['jpeg', photo.width, photo.height]);
  });

  it('refuses a 20,000 × 20,000 image from its header, before decoding', async () => {
    const path = join(dir, 'bomb.png');
    writeFileSync(path, pngClaiming(20_000, 20_000));
    const t0 = performance.now();
    await expect(readImage(path)).rejects.toThrow(FormatError);
    await expect(readImage(path)).rejects.toThrow(
      /bomb\.png: 20000×20000 = 400000000 pixels is over the 40000000-pixel limit/,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('refuses corrupt, truncated, empty, non-image and unsupported files: FormatError naming the file', async () => {
    const { path } = randomPng();
    const png = readFileSync(path);
    const corrupt = Buffer.from(png);
    for (let i = 60; i < corrupt.length - 20; i++) corrupt[i] = (corrupt[i]! * 7 + 13) & 0xff; // pixel data scrambled
    const cases: [string, Uint8Array][] = [
      ['corrupt.png', corrupt],
      ['truncated.png', png.subarray(0, Math.floor(png.length / 2))],
      ['empty.png', new Uint8Array(0)],
      ['notes.txt', new TextEncoder().encode('this is not an image\n')],
      ['random.bin', pseudoRandomBytes(4096, 3)],
    ];
    const photo = cocoPhotos()[0];
    if (photo) {
      const jpeg = readFileSync(photo.path);
      cases.push(['truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2))]);
    }
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    cases.push(['anim.gif', gif]);
    for (const [name, bytes] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      await expect(readImage(file), name).rejects.toThrow(FormatError);
      await expect(readImage(file), name).rejects.toThrow(new RegExp(name.replace('.', '\\.')));
    }
    await expect(readImage(join(dir, 'random.png'), { maxBytes: 100 })).rejects.toThrow(/over the 100-byte limit/);
  });
});

describe('imageToTensor', () => {
  const solid = (w: number, h: number, rgba: number[]) => ({
    width: w,
    height: h,
    data: Uint8Array.from({ length: w * h * 4 }, (_, i) => rgba[i % 4]!),
  });

  it('maps 0..255 to −1..1 per channel, NCHW, and composites alpha over black', () => {
    const t = imageToTensor(solid(3, 2, [255, 0, 51, 255]), { size: [2, 3] });
    expect(t.shape).toEqual([1, 3, 2, 3]);
    const v = t.toArray();
    expect(v.slice(0, 6).every((x) => x === 1)).toBe(true);
    expect(v.slice(6, 12).every((x) => x === -1)).toBe(true);
    expect(v[12]).toBeCloseTo(2 * (51 / 255) - 1, 6);
    const half = imageToTensor(solid(2, 2, [255, 255, 255, 0]), { size: 2 }).toArray();
    expect(half.every((x) => x === -1)).toBe(true); // fully transparent white = black
  });

  it('keeps a constant image constant at any size and averages when downscaling', () => {
    for (const size of [1, 5, [7, 3]] as const) {
      const v = imageToTensor(solid(11, 6, [128, 64, 32, 255]), { size }).toArray();
      const expected = [128, 64, 32].map((c) => 2 * (c / 255) - 1);
      const per = v.length / 3;
      v.forEach((x, i) => {
        expect(x).toBeCloseTo(expected[Math.floor(i / per)]!, 6);
      });
    }
    // A 1-pixel black/white checkerboard halved becomes mid-grey everywhere (no aliasing).
    const w = 8;
    const board = {
      width: w,
      height: w,
      data: Uint8Array.from({ length: w * w * 4 }, (_, i) => {
        const p = Math.floor(i / 4);
        return i % 4 === 3 ? 255 : ((p % w) + Math.floor(p / w)) % 2 ? 255 : 0;
      }),
    };
    const halved = imageToTensor(board, { size: 4 }).toArray();
    for (const x of halved) expect(Math.abs(x)).toBeLessThan(0.2);
  });

  it('rejects malformed pixel buffers and sizes', () => {
    expect(() => imageToTensor({ width: 2, height: 2, data: new Uint8Array(15) }, { size: 2 })).toThrow(
      /expected 16 bytes of RGBA/,
    );
    expect(() => imageToTensor(solid(2, 2, [0, 0, 0, 255]), { size: 0 })).toThrow(/size must be positive/);
  });
});
