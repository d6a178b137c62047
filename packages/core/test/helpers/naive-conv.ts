import type { Tensor } from '../../src/tensor/tensor.js';
import { samePadding, type Conv2dOptions } from '../../src/ops/conv.js';

/**
 * conv2d's `padding` option as naiveConv's [top, bottom, left, right] for an input H × W and a kH × kW kernel
 * (stride and dilation from the options, as conv2d reads them).
 */
export function naivePadding(
  options: Conv2dOptions,
  [H, W]: readonly [number, number],
  [kH, kW]: readonly [number, number],
): [number, number, number, number] {
  const pair = (v: number | readonly [number, number] | undefined, d: number): [number, number] =>
    v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  const [sH, sW] = pair(options.stride, 1);
  const [dH, dW] = pair(options.dilation, 1);
  const p = options.padding;
  if (p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') return [...samePadding(H, kH, sH, dH), ...samePadding(W, kW, sW, dW)];
  const [h, w] = pair(p, 0);
  return [h, h, w, w];
}

/**
 * Direct seven-loop convolution straight from the definition, to compare im2col + GEMM against. `p` is the zero
 * padding [h, w] on both sides, or [top, bottom, left, right].
 */
export function naiveConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  s: [number, number],
  padding: [number, number] | [number, number, number, number],
  d: [number, number],
  groups: number,
): number[][][][] {
  const [N, C, H, W] = x.shape as number[];
  const [O, Cg, kH, kW] = w.shape as number[];
  const [top, bottom, left, right] = padding.length === 4 ? padding : [padding[0], padding[0], padding[1], padding[1]];
  const p = [top, left] as const;
  const oH = Math.floor((H! + top + bottom - d[0] * (kH! - 1) - 1) / s[0]) + 1;
  const oW = Math.floor((W! + left + right - d[1] * (kW! - 1) - 1) / s[1]) + 1;
  const Og = O! / groups;
  const out: number[][][][] = [];
  for (let n = 0; n < N!; n++) {
    out.push([]);
    for (let o = 0; o < O!; o++) {
      const g = Math.floor(o / Og);
      out[n]!.push([]);
      for (let i = 0; i < oH; i++) {
        out[n]![o]!.push([]);
        for (let j = 0; j < oW; j++) {
          let acc = b ? b.data[o]! : 0;
          for (let c = 0; c < Cg!; c++) {
            for (let ki = 0; ki < kH!; ki++) {
              for (let kj = 0; kj < kW!; kj++) {
                const ih = i * s[0] - p[0] + ki * d[0];
                const iw = j * s[1] - p[1] + kj * d[1];
                if (ih < 0 || ih >= H! || iw < 0 || iw >= W!) continue;
                acc +=
                  x.data[((n * C! + g * Cg! + c) * H! + ih) * W! + iw]! *
                  w.data[((o * Cg! + c) * kH! + ki) * kW! + kj]!;
              }
            }
          }
          out[n]![o]![i]!.push(acc);
        }
      }
    }
  }
  return out;
}
