import { ValueError } from '@recurrent/core';

/** Decoded 8-bit RGBA pixels, row-major, as canvas `ImageData` and sharp's `.ensureAlpha().raw()` give them. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Check that `image` is a well-formed RGBA buffer; `what` names it in the error. */
export function checkRgbaImage(image: RgbaImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ValueError(`${what}: width and height must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new ValueError(
      `${what}: expected ${width * height * 4} bytes of RGBA for ${width}×${height}, got ${data.length}`,
    );
  }
}
