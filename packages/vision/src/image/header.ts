import { FormatError } from '@recurrent/core';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Default pixel limit of both readers: 40 megapixels (a 20,000 × 20,000 image is 400). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/**
 * Format and size of a JPEG, PNG or WebP from its first bytes, without decoding anything — so the browser and Node
 * can refuse a huge or foreign file before any large allocation. `name` labels errors (`FormatError`).
 */
export function readImageHeader(bytes: Uint8Array, name: string): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string): void => {
    if (bytes.byteLength < end) throw new FormatError(`${name}: truncated ${what} header (${bytes.byteLength} bytes)`);
  };
  const ascii = (at: number, n: number): string => String.fromCharCode(...bytes.subarray(at, at + n));
  if (bytes.byteLength >= 8 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
    need(24, 'PNG');
    if (ascii(12, 4) !== 'IHDR') throw new FormatError(`${name}: PNG without an IHDR chunk first`);
    return checked({ format: 'png', width: view.getUint32(16), height: view.getUint32(20) }, name);
  }
  if (bytes.byteLength >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return jpegHeader(view, name);
  if (bytes.byteLength >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    need(30, 'WebP');
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') {
      return checked(
        { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff },
        name,
      );
    }
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return checked({ format: 'webp', width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) }, name);
    }
    if (chunk === 'VP8X') {
      const uint24 = (at: number): number => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
      return checked({ format: 'webp', width: 1 + uint24(24), height: 1 + uint24(27) }, name);
    }
    throw new FormatError(`${name}: WebP with an unknown first chunk "${chunk}"`);
  }
  throw new FormatError(`${name}: not a JPEG, PNG or WebP image (unrecognised signature)`);
}

/** Walk JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC) and read its size. */
function jpegHeader(view: DataView, name: string): ImageHeader {
  let at = 2;
  while (at + 4 <= view.byteLength) {
    if (view.getUint8(at) !== 0xff) throw new FormatError(`${name}: corrupt JPEG (no marker at byte ${at})`);
    const marker = view.getUint8(at + 1);
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(at + 2);
    if (length < 2) throw new FormatError(`${name}: corrupt JPEG (segment length ${length} at byte ${at})`);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > view.byteLength) break;
      return checked({ format: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) }, name);
    }
    if (marker === 0xda || marker === 0xd9)
      throw new FormatError(`${name}: JPEG without a frame header before its data`);
    at += 2 + length;
  }
  throw new FormatError(`${name}: truncated JPEG header (no frame header in ${view.byteLength} bytes)`);
}

function checked(h: ImageHeader, name: string): ImageHeader {
  if (h.width < 1 || h.height < 1)
    throw new FormatError(`${name}: ${h.format} header gives size ${h.width}×${h.height}`);
  return h;
}

/** `FormatError` when the header's size is over `maxPixels`. */
export function checkImageSize(h: ImageHeader, name: string, maxPixels: number = MAX_IMAGE_PIXELS): void {
  const pixels = h.width * h.height;
  if (pixels > maxPixels) {
    throw new FormatError(`${name}: ${h.width}×${h.height} = ${pixels} pixels is over the ${maxPixels}-pixel limit`);
  }
}
