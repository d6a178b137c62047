import { Tensor } from '../tensor/tensor.js';
import { attach } from '../autograd/node.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { allocate, promote, type DType, type Storage } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { gemm, WASM_GEMM_MIN_WORK } from '../kernels/gemm.js';
import { depthwise3x3Wasm, gemmConvWasm, pointwiseConvWasm, type ClampRange } from '../kernels/wasm/conv-kernels.js';

/** A per-axis size given once for both axes or as [height, width], as PyTorch's `_pair`. */
export type Size2d = number | readonly [number, number];

/**
 * Resolve a `Size2d` to [h, w], checking every entry is an integer ≥ `min`.
 * `what` names the argument in the error ("conv2d stride").
 */
export function pair2d(value: Size2d, what: string, min: number): [number, number] {
  if (typeof value !== 'number' && (!Array.isArray(value) || value.length !== 2)) {
    throw new ValueError(`${what} must be a number or [h, w], got ${JSON.stringify(value)}`);
  }
  const [h, w] = typeof value === 'number' ? [value, value] : value;
  for (const v of [h, w]) {
    if (!Number.isInteger(v) || v! < min)
      throw new ValueError(`${what} must be integer(s) ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return [h!, w!];
}

/** One spatial axis of a sliding window (conv2d, pooling). */
export interface WindowAxis {
  input: number;
  kernel: number;
  stride: number;
  /** Implicit zero padding on each side. */
  padding: number;
  dilation: number;
  /** Round the number of windows up (pooling's ceilMode; default false). */
  ceilMode?: boolean;
}

/**
 * Output length of a sliding window, PyTorch's pooling_output_shape: floor((in + 2·pad − dil·(k−1) − 1)/stride) + 1,
 * or with ceilMode the ceiling, minus one when the last window would start past the input and left padding.
 */
export function windowOutputSize(w: WindowAxis): number {
  const { input, kernel, stride, padding, dilation } = w;
  const ceil = w.ceilMode ?? false;
  const span = input + 2 * padding - dilation * (kernel - 1) - 1;
  let out = Math.floor((span + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= input + padding) out--;
  return out;
}

export interface Conv2dOptions {
  stride?: Size2d;
  /**
   * Implicit zero padding on each side (default 0), or `'valid'` (none) or `'same'`: PyTorch's for stride 1 (the
   * output has the input's size; an odd total puts the extra row / column after), and for larger strides — where
   * PyTorch refuses 'same' — TensorFlow's SAME: ceil(input / stride) outputs, total padding
   * max((out − 1)·stride + dilation·(k − 1) + 1 − input, 0) split with the odd one after, computed without a padded
   * copy of the input.
   */
  padding?: Conv2dPadding;
  dilation?: Size2d;
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
  /**
   * An activation applied to the output inside the kernels, as `relu(conv2d(…))` / `relu6(conv2d(…))` without a
   * separate pass (MobileNet's RELU6). The gradient is PyTorch's: through where the output is > 0 (relu) or
   * strictly between 0 and 6 (relu6, hardtanh's), zero elsewhere. Default none.
   */
  activation?: ConvActivation;
  /**
   * Write the result into this tensor's storage instead of a new array, as PyTorch's `out=` (inference only: a
   * `ValueError` when a gradient would be recorded; it must have the output's shape and dtype and share no storage
   * with the input). Lets a graph runner reuse the buffer of an activation no later layer reads.
   */
  out?: Tensor;
}

/** conv2d's padding: per side as [h, w] or one number, or 'valid' (none) or 'same' (see `Conv2dOptions.padding`). */
export type Conv2dPadding = Size2d | 'valid' | 'same';

/**
 * One axis of 'same' padding: [before, after] giving ceil(input / stride) outputs, the odd pixel after (PyTorch's
 * 'same' at stride 1, TensorFlow's SAME at any stride).
 */
export function samePadding(input: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The activations conv2d can fuse into its kernels. */
export type ConvActivation = 'relu' | 'relu6';

const ACTIVATION_RANGES: Record<ConvActivation, ClampRange> = {
  relu: { lo: 0, hi: Infinity },
  relu6: { lo: 0, hi: 6 },
};

/** The output range of `options.activation`; `ValueError` naming the option for anything else. */
export function activationRange(activation: ConvActivation | undefined): ClampRange | undefined {
  if (activation === undefined) return undefined;
  const range = Object.hasOwn(ACTIVATION_RANGES, activation) ? ACTIVATION_RANGES[activation] : undefined;
  if (!range) {
    throw new ValueError(
      `conv2d: activation must be 'relu' or 'relu6' (or omitted), got ${JSON.stringify(activation)}`,
    );
  }
  return range;
}

/** The storage of `options.out` after checking it can hold this call's result, or a new zeroed array. */
function outputStorage(
  out: Tensor | undefined,
  dtype: DType,
  shape: readonly number[],
  inputs: readonly Tensor[],
  x: Tensor,
): Storage {
  if (!out)
    return allocate(
      dtype,
      shape.reduce((a, b) => a * b, 1),
    );
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    throw new ValueError('conv2d: out= is for inference only (inside noGrad, or with no input requiring grad)');
  }
  if (out.dtype !== dtype || out.ndim !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `conv2d: out: expected ${dtype} ${formatShape(shape)}, got ${out.dtype} ${formatShape(out.shape)}`,
    );
  }
  if (out.data.buffer === x.data.buffer) throw new ValueError('conv2d: out must not share storage with the input');
  return out.data;
}

/** Clamp out[from, to) to `range` in place: v < lo ? lo : v > hi ? hi : v (NaN and −0 kept, as the wasm kernels). */
function clampInPlace(out: Storage, range: ClampRange, from = 0, to = out.length): void {
  const { lo, hi } = range;
  for (let i = from; i < to; i++) {
    const v = out[i]!;
    // biome-ignore lint/complexity/useMathMinMax: keeps NaN as NaN and −0 as −0, like the kernels
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/**
 * The gradient reaching the convolution itself through its fused activation, from the activated output y:
 * grad where lo < y < hi (relu: y > 0; relu6: 0 < y < 6, as PyTorch's threshold / hardtanh backward), else 0.
 */
function throughActivation(grad: Tensor, y: Storage, range: ClampRange | undefined): Storage {
  const gd = grad.data;
  if (!range) return gd;
  const { lo, hi } = range;
  const masked = allocate(grad.dtype, gd.length);
  for (let i = 0; i < gd.length; i++) {
    const v = y[i]!;
    masked[i] = v > lo && v < hi ? gd[i]! : 0;
  }
  return masked;
}

/** The geometry of one conv2d call, shared by forward and backward. */
export interface ConvGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  /** Zero rows before the image (top) and after it (bottom). */
  pH: number;
  pB: number;
  /** Zero columns before the image (left) and after it (right). */
  pW: number;
  pR: number;
  dH: number;
  dW: number;
  oH: number;
  oW: number;
  groups: number;
}

/** Each input channel convolved on its own (groups = channels > 1): the depthwise path. */
export function isDepthwise(g: ConvGeometry): boolean {
  return g.groups === g.C && g.groups > 1;
}

/** A 1×1 kernel with unit stride and no padding: its col matrix is the image itself. */
export function isPointwise(g: ConvGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.sH === 1 && g.sW === 1 && g.pH + g.pB + g.pW + g.pR === 0;
}

/** A depthwise layer the wasm 3×3 kernel runs: MobileNet's (multiplier 1, 3×3, dilation 1, stride 1 or 2). */
export function isWasmDepthwise3x3(g: ConvGeometry): boolean {
  const { C, O, kH, kW, dH, dW, sH, sW } = g;
  return O === C && kH === 3 && kW === 3 && dH === 1 && dW === 1 && sH === sW && (sH === 1 || sH === 2);
}

/** A one-group convolution large enough for the wasm GEMM (smaller products sum on the TypeScript GEMM). */
export function isWasmGemmConv(g: ConvGeometry): boolean {
  return g.groups === 1 && g.O * g.oH * g.oW * g.C * g.kH * g.kW >= WASM_GEMM_MIN_WORK;
}

/**
 * Unfold one image x [C, H, W] (at `xOff` in `x`) into col [C·kH·kW, oH·oW]: row (c, ki, kj) holds the input
 * pixel each output position sees through kernel tap (ki, kj), zero where that falls in the padding.
 */
export function im2col(x: Storage, xOff: number, col: Storage, g: ConvGeometry): void {
  const { C, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW } = g;
  const L = oH * oW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++, row++) {
        const off = kj * dW - pW;
        // Output columns whose input column iw = ow·sW + off lies inside [0, W).
        const owLo = Math.min(oW, Math.max(0, Math.ceil(-off / sW)));
        const owHi = Math.max(owLo, Math.min(oW, Math.floor((W - 1 - off) / sW) + 1));
        let dst = row * L;
        for (let oh = 0; oh < oH; oh++, dst += oW) {
          const ih = oh * sH - pH + ki * dH;
          if (ih < 0 || ih >= H) {
            col.fill(0, dst, dst + oW);
            continue;
          }
          const src = plane + ih * W + off;
          for (let ow = 0; ow < owLo; ow++) col[dst + ow] = 0;
          for (let ow = owLo; ow < owHi; ow++) col[dst + ow] = x[src + ow * sW]!;
          for (let ow = owHi; ow < oW; ow++) col[dst + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: add every col entry back onto the input pixel it was read from. */
function col2im(col: Storage, dx: Storage, dxOff: number, g: ConvGeometry): void {
  const { C, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW } = g;
  const L = oH * oW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = dxOff + c * H * W;
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++, row++) {
        const off = kj * dW - pW;
        const owLo = Math.min(oW, Math.max(0, Math.ceil(-off / sW)));
        const owHi = Math.max(owLo, Math.min(oW, Math.floor((W - 1 - off) / sW) + 1));
        let src = row * L;
        for (let oh = 0; oh < oH; oh++, src += oW) {
          const ih = oh * sH - pH + ki * dH;
          if (ih < 0 || ih >= H) continue;
          const dst = plane + ih * W + off;
          for (let ow = owLo; ow < owHi; ow++) dx[dst + ow * sW]! += col[src + ow]!;
        }
      }
    }
  }
}

/** The geometry of conv2d on an input of shape `xShape`, checking every argument (shared with ResidentConvSession). */
export function convGeometry(
  xShape: readonly number[],
  weight: Tensor,
  bias: Tensor | null,
  options: Conv2dOptions,
): ConvGeometry {
  const x = { ndim: xShape.length, shape: xShape };
  if (x.ndim !== 4) {
    throw new ShapeError(`conv2d: input must be 4-D [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(x.shape)}`);
  }
  if (weight.ndim !== 4) {
    throw new ShapeError(
      `conv2d: weight must be 4-D [out_channels, in_channels/groups, kH, kW], got ${formatShape(weight.shape)}`,
    );
  }
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    throw new ValueError(`conv2d: groups must be a positive integer, got ${groups}`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = weight.shape as [number, number, number, number];
  if (O % groups !== 0) throw new ValueError(`conv2d: out_channels ${O} is not divisible by groups ${groups}`);
  if (Cg * groups !== C) {
    throw new ShapeError(
      `conv2d: weight ${formatShape(weight.shape)} with groups=${groups} expects input with ${Cg * groups} ` +
        `channels, got input ${formatShape(x.shape)} with ${C} channels`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new ShapeError(`conv2d: bias: expected shape [${O}], got ${formatShape(bias.shape)}`);
  }
  const [sH, sW] = pair2d(options.stride ?? 1, 'conv2d stride', 1);
  const [dH, dW] = pair2d(options.dilation ?? 1, 'conv2d dilation', 1);
  const padding = options.padding ?? 0;
  let [pH, pB, pW, pR] = [0, 0, 0, 0];
  if (padding === 'same') {
    [pH, pB] = samePadding(H, kH, sH, dH);
    [pW, pR] = samePadding(W, kW, sW, dW);
  } else if (typeof padding === 'string' && padding !== 'valid') {
    throw new ValueError(`conv2d padding must be a number, [h, w], 'same' or 'valid', got ${JSON.stringify(padding)}`);
  } else if (padding !== 'valid') {
    [pH, pW] = pair2d(padding, 'conv2d padding', 0);
    [pB, pR] = [pH, pW];
  }
  // windowOutputSize with the padding of both sides (they differ only for 'same')
  const oH = Math.floor((H + pH + pB - dH * (kH - 1) - 1) / sH) + 1;
  const oW = Math.floor((W + pW + pR - dW * (kW - 1) - 1) / sW) + 1;
  if (oH < 1 || oW < 1) {
    throw new ShapeError(
      `conv2d: kernel ${kH}x${kW} (dilation ${dH}x${dW}, effective ${dH * (kH - 1) + 1}x${dW * (kW - 1) + 1}) ` +
        'is larger than the padded input ' +
        `${H + pH + pB}x${W + pW + pR} (input ${formatShape(x.shape)}, padding ${JSON.stringify(padding)})`,
    );
  }
  return { N, C, H, W, O, kH, kW, sH, sW, pH, pB, pW, pR, dH, dW, oH, oW, groups };
}

/**
 * conv2d's output shape [N, O, oH, oW] for a 4-D input of shape `xShape`, with every argument checked as conv2d checks
 * it — for a caller that allocates the output (`options.out`) before the call.
 */
export function conv2dOutputShape(
  xShape: readonly number[],
  weight: Tensor,
  bias: Tensor | null,
  options: Conv2dOptions,
): [number, number, number, number] {
  const { N, O, oH, oW } = convGeometry(xShape, weight, bias, options);
  return [N, O, oH, oW];
}

/** Copy channel plane x[off .. off + H·W) into a zero-bordered (pH + H + pB) × (pW + W + pR) buffer. */
function padPlane(x: Storage, off: number, padded: Float64Array, g: ConvGeometry): void {
  const { H, W, pH, pW, pR } = g;
  const Wp = W + pW + pR;
  padded.fill(0);
  for (let h = 0; h < H; h++) {
    const src = off + h * W;
    const dst = (h + pH) * Wp + pW;
    for (let w = 0; w < W; w++) padded[dst + w] = x[src + w]!;
  }
}

/**
 * The 3×3 depthwise forward for one output plane: every output is bias + the nine taps over three padded input rows,
 * summed in registers and stored once (no accumulator row), which is what MobileNet's layers use.
 */
function depthwiseRows3x3(
  padded: Float64Array,
  Wp: number,
  wd: Storage,
  wo: number,
  bias: number,
  g: ConvGeometry,
  out: Storage,
  outOffset: number,
): void {
  const { sH, sW, dH, dW, oH, oW } = g;
  const w00 = wd[wo]!;
  const w01 = wd[wo + 1]!;
  const w02 = wd[wo + 2]!;
  const w10 = wd[wo + 3]!;
  const w11 = wd[wo + 4]!;
  const w12 = wd[wo + 5]!;
  const w20 = wd[wo + 6]!;
  const w21 = wd[wo + 7]!;
  const w22 = wd[wo + 8]!;
  for (let oh = 0; oh < oH; oh++) {
    const r0 = oh * sH * Wp;
    const r1 = r0 + dH * Wp;
    const r2 = r1 + dH * Wp;
    const dst = outOffset + oh * oW;
    for (let ow = 0; ow < oW; ow++) {
      const i = ow * sW;
      const j = i + dW;
      const k = j + dW;
      out[dst + ow] =
        bias +
        w00 * padded[r0 + i]! +
        w01 * padded[r0 + j]! +
        w02 * padded[r0 + k]! +
        w10 * padded[r1 + i]! +
        w11 * padded[r1 + j]! +
        w12 * padded[r1 + k]! +
        w20 * padded[r2 + i]! +
        w21 * padded[r2 + j]! +
        w22 * padded[r2 + k]!;
    }
  }
}

/**
 * The float32 depthwise 3×3 forward (multiplier 1, dilation 1, stride 1 or 2: MobileNet's layers) of every image on
 * the wasm SIMD kernel, summing in float32 in the TypeScript loop's order. False when it does not apply or the wasm
 * backend is not active; the caller then runs the TypeScript loop (float64 sums).
 */
function depthwiseOnWasm(
  x: Tensor,
  weight: Tensor,
  b: Tensor | null,
  g: ConvGeometry,
  out: Storage,
  clamp: ClampRange | undefined,
): boolean {
  const { N, C, H, W, sH, pH, pW, oH, oW } = g;
  const xd = x.data;
  const wd = weight.data;
  const bd = b ? b.data : null;
  if (
    !isWasmDepthwise3x3(g) ||
    !(xd instanceof Float32Array) ||
    !(wd instanceof Float32Array) ||
    !(out instanceof Float32Array) ||
    (bd !== null && !(bd instanceof Float32Array))
  )
    return false;
  const stride = sH === 2 ? 2 : 1; // 1 or 2, as isWasmDepthwise3x3 checked
  const geometry = { C, H, W, padTop: pH, padLeft: pW, stride, oH, oW, clamp } as const;
  for (let n = 0; n < N; n++) {
    if (!depthwise3x3Wasm(xd, n * C * H * W, wd, bd, geometry, out, n * C * oH * oW)) return false;
  }
  return true;
}

/**
 * A float32 one-group convolution of every image as one GEMM each on the wasm kernels, large enough for the wasm
 * GEMM: a pointwise one (1×1, stride 1, no padding) reads the image as it is, any other is unfolded by im2col
 * straight into wasm memory. Bias and activation are added in wasm memory after the product. False when it does
 * not apply or the wasm backend is not active.
 */
function gemmConvOnWasm(
  x: Tensor,
  weight: Tensor,
  b: Tensor | null,
  g: ConvGeometry,
  pointwise: boolean,
  out: Storage,
  clamp: ClampRange | undefined,
): boolean {
  const { N, C, H, W, O, kH, kW, oH, oW } = g;
  const L = oH * oW;
  const K = C * kH * kW;
  const xd = x.data;
  const wd = weight.data;
  const bd = b ? b.data : null;
  if (
    !isWasmGemmConv(g) ||
    !(xd instanceof Float32Array) ||
    !(wd instanceof Float32Array) ||
    !(out instanceof Float32Array) ||
    (bd !== null && !(bd instanceof Float32Array))
  )
    return false;
  for (let n = 0; n < N; n++) {
    const sizes = { C: K, O, L, clamp };
    const done = pointwise
      ? pointwiseConvWasm(xd, n * C * L, wd, bd, sizes, out, n * O * L)
      : gemmConvWasm((col) => im2col(xd, n * C * H * W, col, g), wd, bd, sizes, out, n * O * L);
    if (!done) return false;
  }
  return true;
}

/**
 * Depthwise convolution (one input channel per group: groups = C, any channel multiplier O/C) computed directly on
 * a zero-padded copy of each channel plane: output row oh is Σ over the kernel taps of a strided input row times one
 * weight. This skips the C·kH·kW × oH·oW col matrix and the C one-row GEMMs of the general path. Sums in float64.
 */
function depthwiseConv2d(
  x: Tensor,
  weight: Tensor,
  b: Tensor | null,
  g: ConvGeometry,
  dtype: DType,
  clamp: ClampRange | undefined,
  target: Tensor | undefined,
): Tensor {
  const { N, C, H, W, O, kH, kW, sH, sW, pH, pB, pW, pR, dH, dW, oH, oW } = g;
  const L = oH * oW;
  const taps = kH * kW;
  const multiplier = O / C;
  const Wp = W + pW + pR;
  const xd = x.data;
  const wd = weight.data;
  const padded = new Float64Array((H + pH + pB) * Wp);
  const row = new Float64Array(oW);
  const out = outputStorage(target, dtype, [N, O, oH, oW], b ? [x, weight, b] : [x, weight], x);
  // MobileNet's float32 layers run on the wasm kernel; everything else (and float64) on the loops below.
  const onWasm = depthwiseOnWasm(x, weight, b, g, out, clamp);
  for (let n = 0; n < N && !onWasm; n++) {
    for (let c = 0; c < C; c++) {
      padPlane(xd, (n * C + c) * H * W, padded, g);
      for (let o = c * multiplier; o < (c + 1) * multiplier; o++) {
        const bias = b ? b.data[o]! : 0;
        if (kH === 3 && kW === 3) {
          depthwiseRows3x3(padded, Wp, wd, o * taps, bias, g, out, (n * O + o) * L);
          continue;
        }
        for (let oh = 0; oh < oH; oh++) {
          row.fill(bias);
          for (let ki = 0; ki < kH; ki++) {
            const r = (oh * sH + ki * dH) * Wp;
            const wk = o * taps + ki * kW;
            if (kW === 3) {
              // The common 3-wide kernel sums its three taps in registers: one pass over the row instead of three.
              const w0 = wd[wk]!;
              const w1 = wd[wk + 1]!;
              const w2 = wd[wk + 2]!;
              for (let ow = 0; ow < oW; ow++) {
                const i = r + ow * sW;
                row[ow]! += w0 * padded[i]! + w1 * padded[i + dW]! + w2 * padded[i + 2 * dW]!;
              }
            } else {
              for (let kj = 0; kj < kW; kj++) {
                const wt = wd[wk + kj]!;
                const rk = r + kj * dW;
                for (let ow = 0; ow < oW; ow++) row[ow]! += wt * padded[rk + ow * sW]!;
              }
            }
          }
          out.set(row, (n * O + o) * L + oh * oW);
        }
      }
    }
  }
  if (clamp && !onWasm) clampInPlace(out, clamp);
  const result = new Tensor(out, [N, O, oH, oW]);
  const inputs = b ? [x, weight, b] : [x, weight];
  return attach(result, 'conv2d', inputs, (grad) => {
    const gd = throughActivation(grad, out, clamp);
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (b?.requiresGrad) {
      const d = allocate(b.dtype, O);
      for (let n = 0; n < N; n++) {
        for (let o = 0; o < O; o++) {
          const base = (n * O + o) * L;
          let s = 0;
          for (let l = 0; l < L; l++) s += gd[base + l]!;
          d[o]! += s;
        }
      }
      gb = new Tensor(d, b.shape);
    }
    const sums = weight.requiresGrad ? new Float64Array(O * taps) : null;
    const d = x.requiresGrad ? allocate(x.dtype, x.size) : null;
    const dPadded = new Float64Array(padded.length);
    const gRow = new Float64Array(oW);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        if (sums) padPlane(xd, (n * C + c) * H * W, padded, g);
        dPadded.fill(0);
        for (let o = c * multiplier; o < (c + 1) * multiplier; o++) {
          const go = (n * O + o) * L;
          for (let oh = 0; oh < oH; oh++) {
            for (let ow = 0; ow < oW; ow++) gRow[ow] = gd[go + oh * oW + ow]!;
            for (let ki = 0; ki < kH; ki++) {
              const r = (oh * sH + ki * dH) * Wp;
              const tap0 = o * taps + ki * kW;
              if (kW === 3) {
                // One pass for the three taps of a kernel row, as in the forward.
                // dW[o, tap] += Σ_ow dY[ow] · x_padded[r + ow·sW + kj·dW]; dx_padded[...] += w[o, tap] · dY[ow].
                const w0 = wd[tap0]!;
                const w1 = wd[tap0 + 1]!;
                const w2 = wd[tap0 + 2]!;
                let s0 = 0;
                let s1 = 0;
                let s2 = 0;
                for (let ow = 0; ow < oW; ow++) {
                  const i = r + ow * sW;
                  const gv = gRow[ow]!;
                  if (sums) {
                    s0 += gv * padded[i]!;
                    s1 += gv * padded[i + dW]!;
                    s2 += gv * padded[i + 2 * dW]!;
                  }
                  if (d) {
                    dPadded[i]! += w0 * gv;
                    dPadded[i + dW]! += w1 * gv;
                    dPadded[i + 2 * dW]! += w2 * gv;
                  }
                }
                if (sums) {
                  sums[tap0]! += s0;
                  sums[tap0 + 1]! += s1;
                  sums[tap0 + 2]! += s2;
                }
                continue;
              }
              for (let kj = 0; kj < kW; kj++) {
                const rk = r + kj * dW;
                if (sums) {
                  let s = 0;
                  for (let ow = 0; ow < oW; ow++) s += gRow[ow]! * padded[rk + ow * sW]!;
                  sums[tap0 + kj]! += s;
                }
                if (d) {
                  // The adjoint of the forward's strided reads; the border of dPadded (padding) is dropped below.
                  const wt = wd[tap0 + kj]!;
                  for (let ow = 0; ow < oW; ow++) dPadded[rk + ow * sW]! += wt * gRow[ow]!;
                }
              }
            }
          }
        }
        if (d) {
          const base = (n * C + c) * H * W;
          for (let h = 0; h < H; h++) {
            const src = (h + pH) * Wp + pW;
            for (let w = 0; w < W; w++) d[base + h * W + w] = dPadded[src + w]!;
          }
        }
      }
    }
    if (sums) {
      const dw = allocate(weight.dtype, weight.size);
      dw.set(sums);
      gw = new Tensor(dw, weight.shape);
    }
    if (d) gx = new Tensor(d, x.shape);
    return [gx, gw, gb];
  });
}

/**
 * 2-D convolution (cross-correlation) as torch.nn.functional.conv2d: x [N, C, H, W], weight [O, C/groups, kH, kW],
 * bias [O] → [N, O, oH, oW] with oH = floor((H + 2·padH − dilH·(kH−1) − 1)/strideH) + 1. A 3-D input [C, H, W]
 * gives a 3-D output. Computed per image as im2col + GEMM; the backward uses GEMMs and col2im. Depthwise
 * convolutions (groups = C, as MobileNet's) take a direct path without the col matrix.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  if (x.ndim === 3) {
    const out = options.out && new Tensor(options.out.data, [1, ...options.out.shape]);
    return squeezeBatch(conv2d(unsqueezeBatch(x), weight, bias, { ...options, out }));
  }
  const b = bias ?? null;
  const g = convGeometry(x.shape, weight, b, options);
  const { N, C, H, W, O, kH, kW, oH, oW, groups } = g;
  const dtype = promote(x.dtype, weight.dtype, ...(b ? [b.dtype] : []));
  const clamp = activationRange(options.activation);
  if (isDepthwise(g)) return depthwiseConv2d(x, weight, b, g, dtype, clamp, options.out);
  const L = oH * oW;
  const Og = O / groups;
  const K = (C / groups) * kH * kW; // inner dimension of one group's GEMM
  const pointwise = isPointwise(g);
  const xd = x.data;
  const wd = weight.data;
  const colOf = (n: number, buffer: Storage | null): Storage => {
    if (!buffer) return xd.subarray(n * C * H * W, (n + 1) * C * H * W);
    im2col(xd, n * C * H * W, buffer, g);
    return buffer;
  };
  const out = outputStorage(options.out, dtype, [N, O, oH, oW], b ? [x, weight, b] : [x, weight], x);
  // float32 one-group convolutions (MobileNet's stem, expansions and projections) unfold into wasm memory and add
  // the bias and the activation there after the product; everything else fills the bias, accumulates the GEMM and
  // clamps below.
  const onWasm = gemmConvOnWasm(x, weight, b, g, pointwise, out, clamp);
  const colBuffer = pointwise || onWasm ? null : allocate(dtype, C * kH * kW * L);
  for (let n = 0; n < N && !onWasm; n++) {
    const col = colOf(n, colBuffer);
    const outN = n * O * L;
    if (b) for (let o = 0; o < O; o++) out.fill(b.data[o]!, outN + o * L, outN + (o + 1) * L);
    for (let gi = 0; gi < groups; gi++) {
      gemm(
        false,
        false,
        Og,
        L,
        K,
        wd.subarray(gi * Og * K, (gi + 1) * Og * K),
        col.subarray(gi * K * L, (gi + 1) * K * L),
        out.subarray(outN + gi * Og * L, outN + (gi + 1) * Og * L),
        b !== null,
      );
    }
  }
  if (clamp && !onWasm) clampInPlace(out, clamp);
  const result = new Tensor(out, [N, O, oH, oW]);
  const inputs = b ? [x, weight, b] : [x, weight];
  return attach(result, 'conv2d', inputs, (grad) => {
    const gd = throughActivation(grad, out, clamp);
    // A fresh buffer rather than the forward's, so a live graph does not keep one col matrix per conv alive.
    const buffer = pointwise ? null : allocate(dtype, C * kH * kW * L);
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (b?.requiresGrad) {
      const d = allocate(b.dtype, O);
      for (let n = 0; n < N; n++) {
        for (let o = 0; o < O; o++) {
          const base = (n * O + o) * L;
          let s = 0;
          for (let l = 0; l < L; l++) s += gd[base + l]!;
          d[o]! += s;
        }
      }
      gb = new Tensor(d, b.shape);
    }
    if (weight.requiresGrad) {
      const d = allocate(weight.dtype, weight.size);
      for (let n = 0; n < N; n++) {
        const col = colOf(n, buffer);
        for (let gi = 0; gi < groups; gi++) {
          // dW_g += dY_g [Og, L] · col_gᵀ [L, K]
          gemm(
            false,
            true,
            Og,
            K,
            L,
            gd.subarray((n * O + gi * Og) * L, (n * O + (gi + 1) * Og) * L),
            col.subarray(gi * K * L, (gi + 1) * K * L),
            d.subarray(gi * Og * K, (gi + 1) * Og * K),
            true,
          );
        }
      }
      gw = new Tensor(d, weight.shape);
    }
    if (x.requiresGrad) {
      const d = allocate(x.dtype, x.size);
      for (let n = 0; n < N; n++) {
        // Pointwise: dcol is this image's slice of dx itself.
        const col = buffer ?? d.subarray(n * C * H * W, (n + 1) * C * H * W);
        for (let gi = 0; gi < groups; gi++) {
          // dcol_g [K, L] = W_gᵀ [K, Og] · dY_g [Og, L]
          gemm(
            true,
            false,
            K,
            L,
            Og,
            wd.subarray(gi * Og * K, (gi + 1) * Og * K),
            gd.subarray((n * O + gi * Og) * L, (n * O + (gi + 1) * Og) * L),
            col.subarray(gi * K * L, (gi + 1) * K * L),
            false,
          );
        }
        if (buffer) col2im(buffer, d, n * C * H * W, g);
      }
      gx = new Tensor(d, x.shape);
    }
    return [gx, gw, gb];
  });
}

/** [C, H, W] seen as [1, C, H, W], sharing storage, so the 2-D ops accept unbatched images like PyTorch. */
export function unsqueezeBatch(x: Tensor): Tensor {
  return attach(new Tensor(x.data, [1, ...x.shape]), 'unsqueeze', [x], (g) => [new Tensor(g.data, x.shape)]);
}

/** The inverse of `unsqueezeBatch`: drop a leading dimension of size 1. */
export function squeezeBatch(y: Tensor): Tensor {
  return attach(new Tensor(y.data, y.shape.slice(1)), 'squeeze', [y], (g) => [new Tensor(g.data, y.shape)]);
}
