import type { WasmKernels } from './kernels.js';
import { CompanionModule } from './companion-module.js';
import { CONV_SHARED_WASM_BASE64, CONV_WASM_BASE64 } from './conv.generated.js';

/** The exports of conv.wat (pointers are byte offsets into the gemm module's memory). */
export interface ConvExports {
  depthwise3x3(
    x: number,
    C: number,
    H: number,
    W: number,
    pT: number,
    pL: number,
    stride: number,
    w: number,
    bias: number,
    out: number,
    oH: number,
    oW: number,
    scratch: number,
    lo: number,
    hi: number,
  ): void;
  bias_clamp_rows(c: number, rows: number, cols: number, bias: number, lo: number, hi: number): void;
  add_f32(a: number, b: number, out: number, n: number): void;
  im2col(
    x: number,
    C: number,
    H: number,
    W: number,
    kH: number,
    kW: number,
    sH: number,
    sW: number,
    pT: number,
    pL: number,
    dH: number,
    dW: number,
    oH: number,
    oW: number,
    col: number,
  ): void;
  bias_clamp_transpose(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    bias: number,
    lo: number,
    hi: number,
  ): void;
}

/** The output range of a fused activation: every value is clamped to [lo, hi] ([−∞, ∞] for none). */
export interface ClampRange {
  lo: number;
  hi: number;
}

export const NO_CLAMP: ClampRange = { lo: -Infinity, hi: Infinity };

const convModule = new CompanionModule<ConvExports>(CONV_WASM_BASE64, CONV_SHARED_WASM_BASE64);

/**
 * The active wasm backend's kernels with the conv kernels on its memory, for callers whose operands already live there
 * (byte offsets); null off the wasm backend or while the module is compiling.
 */
export function activeConvKernels(): { gemm: WasmKernels; k: ConvExports } | null {
  return convModule.active();
}

/** One image's depthwise 3×3 convolution (multiplier 1, dilation 1): the geometry `depthwise3x3Wasm` takes. */
export interface Depthwise3x3Geometry {
  C: number;
  H: number;
  W: number;
  /** Zero rows / columns before the image (after it: whatever the output size needs). */
  padTop: number;
  padLeft: number;
  stride: 1 | 2;
  oH: number;
  oW: number;
  /** The fused activation's output range (default none). */
  clamp?: ClampRange;
}

/**
 * The depthwise 3×3 forward of one image on the wasm SIMD kernel (float32): x [C, H, W] at `xOffset` of `x`,
 * weights [C, 9], bias [C] or null → out [C, oH, oW] at `outOffset`, clamped to `g.clamp`. Returns false (nothing
 * written) when the wasm backend or the kernel module is not available, so the caller runs its TypeScript loop.
 */
export function depthwise3x3Wasm(
  x: Float32Array,
  xOffset: number,
  weights: Float32Array,
  bias: Float32Array | null,
  g: Depthwise3x3Geometry,
  out: Float32Array,
  outOffset: number,
): boolean {
  const active = activeConvKernels();
  if (!active) return false;
  const { gemm, k } = active;
  run(gemm, k, x, xOffset, weights, bias, g, out, outOffset);
  return true;
}

function run(
  gemm: WasmKernels,
  k: ConvExports,
  x: Float32Array,
  xOffset: number,
  weights: Float32Array,
  bias: Float32Array | null,
  g: Depthwise3x3Geometry,
  out: Float32Array,
  outOffset: number,
): void {
  const { C, H, W, oH, oW, stride } = g;
  const inSize = C * H * W;
  const outSize = C * oH * oW;
  const Hp = (oH - 1) * stride + 3;
  const Wp = (oW - 1) * stride + 3;
  const heap = gemm.heap;
  const xb = heap.alloc(inSize);
  const wb = heap.alloc(C * 9);
  const bb = bias ? heap.alloc(C) : null;
  const ob = heap.alloc(outSize);
  const sb = heap.alloc(Hp * Wp + 8);
  try {
    const mem = heap.floats();
    mem.set(x.subarray(xOffset, xOffset + inSize), xb.ptr >> 2);
    mem.set(weights.subarray(0, C * 9), wb.ptr >> 2);
    if (bias && bb) mem.set(bias.subarray(0, C), bb.ptr >> 2);
    const { lo, hi } = g.clamp ?? NO_CLAMP;
    const [pT, pL] = [g.padTop, g.padLeft];
    k.depthwise3x3(xb.ptr, C, H, W, pT, pL, stride, wb.ptr, bb?.ptr ?? 0, ob.ptr, oH, oW, sb.ptr, lo, hi);
    out.set(heap.floats().subarray(ob.ptr >> 2, (ob.ptr >> 2) + outSize), outOffset);
  } finally {
    for (const b of [xb, wb, bb, ob, sb]) b?.free();
  }
}

/** One image's pointwise (1×1, stride 1, no padding, one group) convolution: the sizes `pointwiseConvWasm` takes. */
export interface PointwiseGeometry {
  /** Input channels. */
  C: number;
  /** Output channels. */
  O: number;
  /** Pixels per channel plane (H·W). */
  L: number;
  /** The fused activation's output range (default none). */
  clamp?: ClampRange;
}

/**
 * The pointwise convolution of one image on the wasm kernels (float32): out [O, L] = weight [O, C] · x [C, L]
 * (x at `xOffset`), then + bias [O] and clamped to `g.clamp` in wasm memory before the one copy out to `outOffset`
 * — the output is never staged in (the GEMM starts from zero) and the activation is no separate JavaScript pass.
 * Returns false (nothing written) when the wasm backend or the kernel module is not available.
 */
export function pointwiseConvWasm(
  x: Float32Array,
  xOffset: number,
  weight: Float32Array,
  bias: Float32Array | null,
  g: PointwiseGeometry,
  out: Float32Array,
  outOffset: number,
): boolean {
  const { C, L } = g;
  const fill = (col: Float32Array): void => col.set(x.subarray(xOffset, xOffset + C * L));
  return gemmConvWasm(fill, weight, bias, g, out, outOffset);
}

/**
 * A convolution of one image computed as one GEMM on the wasm kernels (float32): `fillColumns` writes the [C, L]
 * column matrix (C = in-channels × kernel taps for an im2col convolution, the image itself for a pointwise one)
 * straight into wasm memory, then out [O, L] = weight [O, C] · col, + bias [O], clamped to `g.clamp`, and copied out
 * once to `outOffset`. Returns false (nothing called, nothing written) when the wasm backend or the kernel module is
 * not available.
 */
export function gemmConvWasm(
  fillColumns: (col: Float32Array) => void,
  weight: Float32Array,
  bias: Float32Array | null,
  g: PointwiseGeometry,
  out: Float32Array,
  outOffset: number,
): boolean {
  const active = activeConvKernels();
  if (!active) return false;
  const { gemm, k } = active;
  const { C, O, L } = g;
  const heap = gemm.heap;
  const xb = heap.alloc(C * L);
  const wb = heap.alloc(O * C);
  const bb = bias ? heap.alloc(O) : null;
  const ob = heap.alloc(O * L);
  try {
    // Views made after every allocation (growing the memory detaches older ones).
    fillColumns(xb.view());
    const mem = heap.floats();
    mem.set(weight.subarray(0, O * C), wb.ptr >> 2);
    if (bias && bb) mem.set(bias.subarray(0, O), bb.ptr >> 2);
    gemm.gemmResident(false, false, O, L, C, wb, xb, ob, false);
    const { lo, hi } = g.clamp ?? NO_CLAMP;
    k.bias_clamp_rows(ob.ptr, O, L, bb?.ptr ?? 0, lo, hi);
    out.set(heap.floats().subarray(ob.ptr >> 2, (ob.ptr >> 2) + O * L), outOffset);
  } finally {
    for (const b of [xb, wb, bb, ob]) b?.free();
  }
  return true;
}
