import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { pair2d, squeezeBatch, unsqueezeBatch, windowOutputSize, type Size2d } from './conv.js';

export interface MaxPool2dOptions {
  kernelSize: Size2d;
  /** Default: kernelSize. */
  stride?: Size2d;
  /** Implicit −∞ padding on each side; at most half the kernel. Default 0. */
  padding?: Size2d;
  dilation?: Size2d;
  /** Use ceil instead of floor for the output size (windows may then run into the right/bottom padding). */
  ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  kernelSize: Size2d;
  /** Default: kernelSize. */
  stride?: Size2d;
  /** Implicit zero padding on each side; at most half the kernel. Default 0. */
  padding?: Size2d;
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window by this number instead. */
  divisorOverride?: number;
}

interface PoolGeometry {
  planes: number;
  H: number;
  W: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
  oH: number;
  oW: number;
}

function poolGeometry(
  op: string,
  x: Tensor,
  kernelSize: Size2d,
  stride: Size2d | undefined,
  padding: Size2d | undefined,
  dilation: Size2d | undefined,
  ceil: boolean,
): PoolGeometry {
  if (x.ndim !== 4)
    throw new ShapeError(`${op}: input must be 4-D [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(x.shape)}`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [kH, kW] = pair2d(kernelSize, `${op} kernelSize`, 1);
  const [sH, sW] = pair2d(stride ?? kernelSize, `${op} stride`, 1);
  const [pH, pW] = pair2d(padding ?? 0, `${op} padding`, 0);
  const [dH, dW] = pair2d(dilation ?? 1, `${op} dilation`, 1);
  if (2 * pH > kH || 2 * pW > kW) {
    throw new ValueError(`${op}: padding ${pH}x${pW} must be at most half the kernel ${kH}x${kW}`);
  }
  const oH = windowOutputSize({ input: H, kernel: kH, stride: sH, padding: pH, dilation: dH, ceilMode: ceil });
  const oW = windowOutputSize({ input: W, kernel: kW, stride: sW, padding: pW, dilation: dW, ceilMode: ceil });
  if (oH < 1 || oW < 1) {
    throw new ShapeError(
      `${op}: kernel ${kH}x${kW} (dilation ${dH}x${dW}) is larger than the padded input ` +
        `${H + 2 * pH}x${W + 2 * pW} (input ${formatShape(x.shape)}); output would be ${oH}x${oW}`,
    );
  }
  return { planes: N * C, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW };
}

/**
 * 2-D max pooling as torch.nn.functional.max_pool2d over x [N, C, H, W] (or [C, H, W]). The gradient goes to the
 * window's argmax; among equal maxima the first in row-major window order wins and a NaN always wins, as in
 * PyTorch's CPU kernel.
 */
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor {
  if (x.ndim === 3) return squeezeBatch(maxPool2d(unsqueezeBatch(x), options));
  const g = poolGeometry(
    'maxPool2d',
    x,
    options.kernelSize,
    options.stride,
    options.padding,
    options.dilation,
    options.ceilMode ?? false,
  );
  const { planes, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW } = g;
  const xd = x.data;
  const out = allocate(x.dtype, planes * oH * oW);
  // Index of the chosen input element within its plane, for the backward.
  const argmax = new Int32Array(out.length);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      let h0 = oh * sH - pH;
      const h1 = Math.min(h0 + (kH - 1) * dH + 1, H);
      while (h0 < 0) h0 += dH;
      for (let ow = 0; ow < oW; ow++, o++) {
        let w0 = ow * sW - pW;
        const w1 = Math.min(w0 + (kW - 1) * dW + 1, W);
        while (w0 < 0) w0 += dW;
        let best = Number.NEGATIVE_INFINITY;
        let bestIdx = h0 * W + w0;
        for (let ih = h0; ih < h1; ih += dH) {
          const row = ih * W;
          for (let iw = w0; iw < w1; iw += dW) {
            const v = xd[base + row + iw]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              bestIdx = row + iw;
            }
          }
        }
        out[o] = best;
        argmax[o] = bestIdx;
      }
    }
  }
  const L = oH * oW;
  return attach(new Tensor(out, [x.shape[0]!, x.shape[1]!, oH, oW]), 'max_pool2d', [x], (grad) => {
    const d = allocate(x.dtype, x.size);
    const gd = grad.data;
    for (let p = 0; p < planes; p++) {
      const base = p * H * W;
      const ob = p * L;
      for (let l = 0; l < L; l++) d[base + argmax[ob + l]!]! += gd[ob + l]!;
    }
    return [new Tensor(d, x.shape)];
  });
}

/**
 * 2-D average pooling as torch.nn.functional.avg_pool2d over x [N, C, H, W] (or [C, H, W]), with PyTorch's divisor
 * rules: the window clipped to the padded input (countIncludePad) or to the input itself, or `divisorOverride`.
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  if (x.ndim === 3) return squeezeBatch(avgPool2d(unsqueezeBatch(x), options));
  const g = poolGeometry(
    'avgPool2d',
    x,
    options.kernelSize,
    options.stride,
    options.padding,
    1,
    options.ceilMode ?? false,
  );
  const { planes, H, W, kH, kW, sH, sW, pH, pW, oH, oW } = g;
  const includePad = options.countIncludePad ?? true;
  const override = options.divisorOverride;
  if (override !== undefined && (!Number.isFinite(override) || override === 0)) {
    throw new ValueError(`avgPool2d: divisorOverride must be a non-zero number, got ${override}`);
  }
  const L = oH * oW;
  // Per output position: clipped window bounds and the divisor, shared by every plane.
  const hLo = new Int32Array(oH);
  const hHi = new Int32Array(oH);
  const hPad = new Int32Array(oH);
  for (let oh = 0; oh < oH; oh++) {
    const s = oh * sH - pH;
    const e = Math.min(s + kH, H + pH);
    hPad[oh] = e - s;
    hLo[oh] = Math.max(s, 0);
    hHi[oh] = Math.min(e, H);
  }
  const wLo = new Int32Array(oW);
  const wHi = new Int32Array(oW);
  const wPad = new Int32Array(oW);
  for (let ow = 0; ow < oW; ow++) {
    const s = ow * sW - pW;
    const e = Math.min(s + kW, W + pW);
    wPad[ow] = e - s;
    wLo[ow] = Math.max(s, 0);
    wHi[ow] = Math.min(e, W);
  }
  const divisor = new Float64Array(L);
  for (let oh = 0; oh < oH; oh++) {
    for (let ow = 0; ow < oW; ow++) {
      const inside = (hHi[oh]! - hLo[oh]!) * (wHi[ow]! - wLo[ow]!);
      // A ceil-mode window lying wholly in the padding outputs 0 and passes no gradient: divide by ∞.
      divisor[oh * oW + ow] =
        inside > 0 ? (override ?? (includePad ? hPad[oh]! * wPad[ow]! : inside)) : Number.POSITIVE_INFINITY;
    }
  }
  return averageWindows(x, 'avg_pool2d', { planes, H, W, hLo, hHi, wLo, wHi, divisor });
}

/**
 * The averaging windows of a pool over `planes` planes of H × W: output cell (oh, ow) covers [hLo, hHi) × [wLo, wHi).
 */
interface AverageWindows {
  planes: number;
  H: number;
  W: number;
  hLo: Int32Array;
  hHi: Int32Array;
  wLo: Int32Array;
  wHi: Int32Array;
  /** Per output cell (oh·oW + ow): what its window's sum is divided by. */
  divisor: Float64Array;
}

/**
 * Window averages of x [N, C, H, W] (shared by avg and adaptive-avg pooling), with the backward that spreads
 * g / divisor over each window.
 */
function averageWindows(x: Tensor, name: string, win: AverageWindows): Tensor {
  const { planes, H, W, hLo, hHi, wLo, wHi, divisor } = win;
  const oH = hLo.length;
  const oW = wLo.length;
  const L = oH * oW;
  const xd = x.data;
  const out = allocate(x.dtype, planes * L);
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = hLo[oh]!;
      const h1 = hHi[oh]!;
      for (let ow = 0; ow < oW; ow++) {
        const w0 = wLo[ow]!;
        const w1 = wHi[ow]!;
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += xd[row + iw]!;
        }
        out[p * L + oh * oW + ow] = s / divisor[oh * oW + ow]!;
      }
    }
  }
  return attach(new Tensor(out, [x.shape[0]!, x.shape[1]!, oH, oW]), name, [x], (grad) => {
    const d = allocate(x.dtype, x.size);
    spreadWindows(grad.data, d, win);
    return [new Tensor(d, x.shape)];
  });
}

/** Backward of a window average: every input in window (oh, ow) receives g / divisor. Windows may overlap. */
function spreadWindows(gd: ArrayLike<number>, d: Float32Array | Float64Array, win: AverageWindows): void {
  const { planes, H, W, hLo, hHi, wLo, wHi, divisor } = win;
  const oH = hLo.length;
  const oW = wLo.length;
  const L = oH * oW;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = hLo[oh]!;
      const h1 = hHi[oh]!;
      for (let ow = 0; ow < oW; ow++) {
        const v = gd[p * L + oh * oW + ow]! / divisor[oh * oW + ow]!;
        const w0 = wLo[ow]!;
        const w1 = wHi[ow]!;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) d[row + iw]! += v;
        }
      }
    }
  }
}

/** Target size of an adaptive pool: one number for both axes, or [h, w] where null keeps that input size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/**
 * Adaptive average pooling as torch.nn.functional.adaptive_avg_pool2d: output cell i along an axis of length H averages
 * input rows floor(i·H/out) … ceil((i+1)·H/out) − 1, so windows can overlap when out does not divide H.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  if (x.ndim === 3) return squeezeBatch(adaptiveAvgPool2d(unsqueezeBatch(x), outputSize));
  if (x.ndim !== 4)
    throw new ShapeError(
      `adaptiveAvgPool2d: input must be 4-D [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(x.shape)}`,
    );
  const [N, C, H, W] = x.shape as [number, number, number, number];
  if (typeof outputSize !== 'number' && (!Array.isArray(outputSize) || outputSize.length !== 2)) {
    throw new ValueError(`adaptiveAvgPool2d: outputSize must be a number or [h, w], got ${JSON.stringify(outputSize)}`);
  }
  const [rawH, rawW] = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const oH = rawH ?? H;
  const oW = rawW ?? W;
  for (const v of [oH, oW]) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(
        `adaptiveAvgPool2d: outputSize must be positive integer(s), got ${JSON.stringify(outputSize)}`,
      );
  }
  if (H < 1 || W < 1)
    throw new ShapeError(`adaptiveAvgPool2d: input spatial size must be non-empty, got ${formatShape(x.shape)}`);
  const bounds = (out: number, len: number): [Int32Array, Int32Array] => {
    const lo = new Int32Array(out);
    const hi = new Int32Array(out);
    for (let i = 0; i < out; i++) {
      lo[i] = Math.floor((i * len) / out);
      hi[i] = Math.ceil(((i + 1) * len) / out);
    }
    return [lo, hi];
  };
  const [hLo, hHi] = bounds(oH, H);
  const [wLo, wHi] = bounds(oW, W);
  const L = oH * oW;
  const divisor = new Float64Array(L);
  for (let oh = 0; oh < oH; oh++)
    for (let ow = 0; ow < oW; ow++) divisor[oh * oW + ow] = (hHi[oh]! - hLo[oh]!) * (wHi[ow]! - wLo[ow]!);
  const planes = N * C;
  return averageWindows(x, 'adaptive_avg_pool2d', { planes, H, W, hLo, hHi, wLo, wHi, divisor });
}
