import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FormatError } from '@recurrent/core';
import { checkImageSize, readImageHeader } from '../src/index.js';
import { readCocoMini } from '../src/node.js';
import { pngClaiming, pseudoRandomBytes } from './helpers.js';

function cocoPaths(): string[] {
  try {
    return readCocoMini().map((p) => p.path);
  } catch {
    return [];
  }
}

async function encoded(width: number, height: number, channels: 3 | 4) {
  const raw = { raw: { width, height, channels } } as const;
  const pixels = Buffer.from(pseudoRandomBytes(width * height * channels, width));
  return {
    png: await sharp(pixels, raw).png().toBuffer(),
    jpeg: await sharp(pixels, raw).jpeg().toBuffer(),
    progressiveJpeg: await sharp(pixels, raw).jpeg({ progressive: true }).toBuffer(),
    webpLossy: await sharp(pixels, raw).webp().toBuffer(), // VP8X when there is alpha, VP8 otherwise
    webpLossless: await sharp(pixels, raw).webp({ lossless: true }).toBuffer(), // VP8L
    webpExif: await sharp(pixels, raw).webp().withMetadata({ orientation: 6 }).toBuffer(), // VP8X
  };
}

describe('readImageHeader', () => {
  it('reads format and size of PNG, baseline/progressive JPEG and every WebP flavour as sharp does', async () => {
    for (const [w, h, c] of [
      [37, 23, 4],
      [300, 7, 3],
      [1, 1, 3],
      [1000, 17, 4],
    ] as const) {
      for (const [kind, bytes] of Object.entries(await encoded(w, h, c))) {
        const meta = await sharp(bytes).metadata();
        const header = readImageHeader(new Uint8Array(bytes), kind);
        expect([header.format, header.width, header.height], `${kind} ${w}×${h}×${c}`).toEqual([
          meta.format,
          meta.width,
          meta.height,
        ]);
      }
    }
  });

  it.skipIf(cocoPaths().length === 0)('agrees with sharp on all 159 coco-mini JPEGs', async () => {
    for (const path of cocoPaths()) {
      const bytes = readFileSync(path);
      const meta = await sharp(bytes).metadata();
      const h = readImageHeader(new Uint8Array(bytes), path);
      expect([h.format, h.width, h.height], path).toEqual([meta.format, meta.width, meta.height]);
    }
  });

  it('needs only the first bytes, and refuses a 20,000 × 20,000 image by size', () => {
    const bomb = pngClaiming(20_000, 20_000);
    const h = readImageHeader(bomb.subarray(0, 24), 'bomb.png');
    expect(h).toEqual({ format: 'png', width: 20_000, height: 20_000 });
    expect(() => checkImageSize(h, 'bomb.png')).toThrow(
      /bomb\.png: 20000×20000 = 400000000 pixels is over the 40000000-pixel limit/,
    );
    expect(() => checkImageSize({ format: 'png', width: 300, height: 300 }, 'ok.png')).not.toThrow();
  });

  it('refuses foreign, truncated and corrupt headers with a FormatError naming the file', async () => {
    const { png, jpeg, webpLossless } = await encoded(8, 8, 3);
    const cases: [string, Uint8Array, RegExp][] = [
      ['notes.txt', new TextEncoder().encode('hello, not an image'), /not a JPEG, PNG or WebP/],
      ['empty.png', new Uint8Array(0), /not a JPEG, PNG or WebP/],
      ['short.png', new Uint8Array(png.subarray(0, 20)), /truncated PNG header/],
      ['short.jpg', new Uint8Array(jpeg.subarray(0, 30)), /truncated JPEG header|corrupt JPEG/],
      ['short.webp', new Uint8Array(webpLossless.subarray(0, 20)), /truncated WebP header/],
      ['zero.png', pngClaiming(0, 5), /size 0×5/],
      ['random.bin', pseudoRandomBytes(512, 9), /not a JPEG, PNG or WebP/],
    ];
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0f0' } })
      .gif()
      .toBuffer();
    cases.push(['anim.gif', new Uint8Array(gif), /not a JPEG, PNG or WebP/]);
    for (const [name, bytes, message] of cases) {
      expect(() => readImageHeader(bytes, name), name).toThrow(FormatError);
      expect(() => readImageHeader(bytes, name), name).toThrow(new RegExp(`${name.replace('.', '\\.')}: .*`));
      expect(() => readImageHeader(bytes, name), name).toThrow(message);
    }
  });
});
