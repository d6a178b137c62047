import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { FormatError } from '@recurrent/core';
import type { RgbaImage } from './pixels.js';
import { MAX_IMAGE_PIXELS, checkImageSize, readImageHeader, type ImageFormat } from './header.js';

/** The formats `readImage` accepts (sharp's names). */
export const IMAGE_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'webp'];

/** Default file-size limit: 64 MB (the pixel limit, MAX_IMAGE_PIXELS, is shared with the browser's header check). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export interface ReadImageOptions {
  /** Refuse images with more pixels than this (checked from the header, before decoding). */
  maxPixels?: number;
  /** Refuse files larger than this many bytes (checked before reading). */
  maxBytes?: number;
}

export interface DecodedImage extends RgbaImage {
  data: Uint8Array;
  format: ImageFormat;
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
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FormatError(
        `${name}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`}`,
      );
    }
    if (!info.isFile()) throw new FormatError(`${name}: not a regular file, expected a JPEG, PNG or WebP image`);
    if (info.size > maxBytes)
      throw new FormatError(`${name}: ${info.size} bytes is over the ${maxBytes}-byte limit for an image`);
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new FormatError(`${name}: cannot be read (${(e as Error).message})`);
    }
  } else {
    if (file.byteLength > maxBytes)
      throw new FormatError(`${name}: ${file.byteLength} bytes is over the ${maxBytes}-byte limit`);
    bytes = file;
  }
  if (bytes.byteLength === 0) throw new FormatError(`${name}: empty file, expected a JPEG, PNG or WebP image`);
  // Our own header parse first (the same check the browser runs), then sharp's reading of the header must agree.
  const header = readImageHeader(bytes, name);
  checkImageSize(header, name, maxPixels);
  const { format, width, height } = header;
  const open = (limitInputPixels: number | false) =>
    sharp(bytes, { limitInputPixels, failOn: 'warning', animated: false });
  let meta: Metadata;
  try {
    meta = await open(false).metadata(); // header only: no pixels are decoded
  } catch (e) {
    throw new FormatError(`${name}: not a readable image (${(e as Error).message})`);
  }
  if (meta.format !== format || meta.width !== width || meta.height !== height) {
    throw new FormatError(
      `${name}: the header says ${format} ${width}×${height}, ` +
        `the decoder reads ${meta.format} ${meta.width}×${meta.height}`,
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
