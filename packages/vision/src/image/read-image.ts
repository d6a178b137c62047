import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { FormatError } from '@recurrent/core';
import type { RgbaImage } from './pixels.js';

/** The formats `readImage` accepts (sharp's names). */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;

/** Default limits: 40 megapixels (a 20,000 × 20,000 image is 400) and 64 MB of file. */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export interface ReadImageOptions {
  /** Refuse images with more pixels than this (checked from the header, before decoding). */
  maxPixels?: number;
  /** Refuse files larger than this many bytes (checked before reading). */
  maxBytes?: number;
}

export interface DecodedImage extends RgbaImage {
  data: Uint8Array;
  format: (typeof IMAGE_FORMATS)[number];
}

/**
 * Decode a JPEG, PNG or WebP file (or its bytes; `name` then labels errors) to 8-bit sRGB RGBA with sharp, EXIF
 * orientation applied. Everything is validated before the large allocation: the file size, then the format and
 * dimensions read from the header; corrupt or truncated pixel data fails the decode. Any problem → `FormatError`
 * naming the file.
 */
export async function readImage(
  file: string | Uint8Array,
  options: ReadImageOptions & { name?: string } = {},
): Promise<DecodedImage> {
  const name = typeof file === 'string' ? file : (options.name ?? '<image bytes>');
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  let bytes: Uint8Array;
  if (typeof file === 'string') {
    const size = (await stat(file)).size;
    if (size > maxBytes)
      throw new FormatError(`${name}: ${size} bytes is over the ${maxBytes}-byte limit for an image`);
    bytes = await readFile(file);
  } else {
    if (file.byteLength > maxBytes)
      throw new FormatError(`${name}: ${file.byteLength} bytes is over the ${maxBytes}-byte limit`);
    bytes = file;
  }
  if (bytes.byteLength === 0) throw new FormatError(`${name}: empty file, expected a JPEG, PNG or WebP image`);
  const open = (limitInputPixels: number | false) =>
    sharp(bytes, { limitInputPixels, failOn: 'warning', animated: false });
  let meta: Metadata;
  try {
    // Header only (no pixels are decoded), so the limit is checked below with a message giving the dimensions.
    meta = await open(false).metadata();
  } catch (e) {
    throw new FormatError(`${name}: not a readable image (${(e as Error).message})`);
  }
  const format = IMAGE_FORMATS.find((f) => f === meta.format);
  if (!format)
    throw new FormatError(`${name}: format ${meta.format ?? 'unknown'} is not one of ${IMAGE_FORMATS.join(', ')}`);
  const { width, height } = meta;
  if (!width || !height) throw new FormatError(`${name}: the header gives no dimensions`);
  if (width * height > maxPixels) {
    throw new FormatError(
      `${name}: ${width}×${height} = ${width * height} pixels is over the ${maxPixels}-pixel limit`,
    );
  }
  try {
    const { data, info } = await open(maxPixels)
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4 || data.byteLength !== info.width * info.height * 4) {
      throw new Error(`decoded ${info.width}×${info.height}×${info.channels} into ${data.byteLength} bytes`);
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      format,
    };
  } catch (e) {
    throw new FormatError(`${name}: corrupt or truncated ${format} (${(e as Error).message})`);
  }
}
