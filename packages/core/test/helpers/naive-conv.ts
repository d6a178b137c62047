import type { Tensor } from '../../src/tensor/tensor.js';

/** Direct seven-loop convolution straight from the definition, to compare im2col + GEMM against. */
export function naiveConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  s: [number, number],
  p: [number, number],
  d: [number, number],
  groups: number,
): number[][][][] {
  const [N, C, H, W] = x.shape as number[];
  const [O, Cg, kH, kW] = w.shape as number[];
  const oH = Math.floor((H! + 2 * p[0] - d[0] * (kH! - 1) - 1) / s[0]) + 1;
  const oW = Math.floor((W! + 2 * p[1] - d[1] * (kW! - 1) - 1) / s[1]) + 1;
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
