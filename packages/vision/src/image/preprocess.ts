import { Tensor, ValueError } from '@recurrent/core';
import { checkRgbaImage, type RgbaImage } from './pixels.js';

export interface PreprocessOptions {
  /** Output size [height, width] (or one number for a square), e.g. 300 for SSD-MobileNetV2. */
  size: number | readonly [number, number];
}

/**
 * Separable resampling weights along one axis, as PIL's antialiased bilinear filter: output pixel i averages the
 * input pixels under a triangle of half-width max(1, scale) centred on its own centre, so a downscale averages
 * every input pixel (no aliasing) and an upscale interpolates bilinearly. Returns, per output pixel, the first
 * input index and the normalised weights.
 */
function resampleWeights(
  input: number,
  output: number,
): { start: Int32Array; count: Int32Array; weights: Float64Array; span: number } {
  const scale = input / output;
  const support = Math.max(1, scale);
  const span = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(output);
  const count = new Int32Array(output);
  const weights = new Float64Array(output * span);
  for (let i = 0; i < output; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(input, Math.ceil(centre + support));
    let total = 0;
    let n = 0;
    for (let j = lo; j < hi && n < span; j++, n++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      weights[i * span + n] = w;
      total += w;
    }
    if (total === 0) {
      // Only when the output is much larger than the input and the centre sits on a pixel edge: nearest pixel.
      weights[i * span] = 1;
      total = 1;
      n = Math.max(n, 1);
    }
    for (let k = 0; k < n; k++) weights[i * span + k]! /= total;
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, span };
}

/**
 * RGBA pixels → a float32 tensor [1, 3, H, W] in [−1, 1] (2·v/255 − 1 per channel, the SSD-MobileNetV2 input
 * convention), resized to `size` with an antialiased bilinear filter. Alpha is composited over black first. Pure
 * TypeScript and deterministic, so Node (pixels from sharp) and the browser (pixels from canvas) give the same tensor
 * from the same decoded pixels.
 */
export function imageToTensor(image: RgbaImage, options: PreprocessOptions): Tensor {
  checkRgbaImage(image);
  const [outH, outW] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH < 1 || outW < 1) {
    throw new ValueError(`imageToTensor: size must be positive integer(s), got ${JSON.stringify(options.size)}`);
  }
  const { width, height, data } = image;
  // Straight RGB in [0, 1] composited over black, channel-planar.
  const plane = width * height;
  const rgb = new Float64Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    const alpha = data[4 * p + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[c * plane + p] = (data[4 * p + c]! / 255) * alpha;
  }
  const rows = resampleWeights(height, outH);
  const cols = resampleWeights(width, outW);
  // Horizontal pass: [3, height, outW]; then vertical: [3, outH, outW].
  const mid = new Float64Array(3 * height * outW);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const src = c * plane + y * width;
      const dst = (c * height + y) * outW;
      for (let x = 0; x < outW; x++) {
        let s = 0;
        const base = cols.start[x]!;
        for (let k = 0; k < cols.count[x]!; k++) s += cols.weights[x * cols.span + k]! * rgb[src + base + k]!;
        mid[dst + x] = s;
      }
    }
  }
  const out = new Float32Array(3 * outH * outW);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < outH; y++) {
      const base = rows.start[y]!;
      for (let x = 0; x < outW; x++) {
        let s = 0;
        for (let k = 0; k < rows.count[y]!; k++)
          s += rows.weights[y * rows.span + k]! * mid[(c * height + base + k) * outW + x]!;
        out[(c * outH + y) * outW + x] = 2 * s - 1;
      }
    }
  }
  return new Tensor(out, [1, 3, outH, outW]);
}
