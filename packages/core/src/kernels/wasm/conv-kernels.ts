import { activeWasmKernels } from '../backend.js';
import type { WasmKernels } from './kernels.js';
import { CompanionModule } from './companion-module.js';
import { CONV_SHARED_WASM_BASE64, CONV_WASM_BASE64 } from './conv.generated.js';

/** The exports of conv.wat (pointers are byte offsets into the gemm module's memory). */
interface ConvExports {
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
  ): void;
}

const convModule = new CompanionModule<ConvExports>(CONV_WASM_BASE64, CONV_SHARED_WASM_BASE64);

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
}

/**
 * The depthwise 3×3 forward of one image on the wasm SIMD kernel (float32): x [C, H, W] at `xOffset` of `x`,
 * weights [C, 9], bias [C] or null → out [C, oH, oW] at `outOffset`. Returns false (nothing written) when the wasm
 * backend or the kernel module is not available, so the caller runs its TypeScript loop.
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
  const gemm = activeWasmKernels();
  const k = gemm ? convModule.exportsFor(gemm) : null;
  if (!gemm || !k) return false;
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
    k.depthwise3x3(xb.ptr, C, H, W, g.padTop, g.padLeft, stride, wb.ptr, bb?.ptr ?? 0, ob.ptr, oH, oW, sb.ptr);
    out.set(heap.floats().subarray(ob.ptr >> 2, (ob.ptr >> 2) + outSize), outOffset);
  } finally {
    for (const b of [xb, wb, bb, ob, sb]) b?.free();
  }
}
