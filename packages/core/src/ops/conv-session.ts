// Inference-only convolutions whose activations stay in the wasm kernels' memory from one layer to the next, and
// whose weights are copied there once: a graph runner (the TFLite interpreter) opens one session, uploads its input,
// runs its conv / depthwise / add steps on resident activations and downloads only what it returns.
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { ShapeError, ValueError } from '../errors.js';
import { activeWasmKernels } from '../kernels/backend.js';
import type { WasmBuffer } from '../kernels/wasm/heap.js';
import type { PackedB, WasmKernels } from '../kernels/wasm/kernels.js';
import { activeConvKernels, NO_CLAMP, type ConvExports } from '../kernels/wasm/conv-kernels.js';
import {
  activationRange,
  convGeometry,
  isDepthwise,
  isPointwise,
  isWasmDepthwise3x3,
  isWasmGemmConv,
  type Conv2dOptions,
} from './conv.js';

/** A float32 NCHW activation living in a `ResidentConvSession`'s wasm memory until released. */
export interface ResidentActivation {
  readonly shape: readonly [number, number, number, number];
}

interface Live extends ResidentActivation {
  readonly buffer: WasmBuffer;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Convolutions with at most this many output pixels per image run transposed against their weight packed once (a
 * 512 × 2,304 weight is otherwise packed again on every call: W6's 10×10 → 5×5 conv 2.4 → 1.6 ms of GEMM, a
 * 10×10 × 320 → 1,280 one 2.3 → 2.0 ms, with 0.15 ms of transposing epilogue). Alternating `profile-w6.ts 21`
 * runs: forward 46.9 / 47.7 ms with 128 against 50.8 / 49.8 ms with 32; at 19×19 the GEMMs gain ≈ 3 %, no more
 * than the epilogue costs.
 */
const TRANSPOSED_MAX_PIXELS = 128;

/**
 * Convolutions for inference on activations kept in wasm memory (float32, the wasm backend): no copy in and out per
 * layer, and each weight and bias copied into wasm memory on first use and reused until `free()` — so the weights
 * given to it must not change while the session lives, and a weight that requires grad (a trainable one) is refused.
 * The results are those of `conv2d` on the wasm backend, bit for bit (the same kernels in the same order). Nothing is
 * recorded for autograd. Open one with `ResidentConvSession.open()`; `free()` it when done.
 */
export class ResidentConvSession {
  private readonly pinned = new Map<Tensor, WasmBuffer>();
  private readonly packs = new Map<Tensor, PackedB>();
  private readonly live = new Set<Live>();
  private freed = false;

  private constructor(
    /** The kernels instance whose memory holds everything of this session. */
    readonly kernels: WasmKernels,
    private readonly k: ConvExports,
  ) {}

  /** A session on the active wasm backend; null when the wasm backend is not active (or its module not ready). */
  static open(): ResidentConvSession | null {
    const active = activeConvKernels();
    return active ? new ResidentConvSession(active.gemm, active.k) : null;
  }

  /** Whether this session's kernels are still the active backend's (a caller switching backends opens a new one). */
  isActive(): boolean {
    return !this.freed && activeWasmKernels() === this.kernels;
  }

  /** Copies a float32 NCHW tensor into wasm memory. */
  upload(x: Tensor): ResidentActivation {
    this.check();
    if (x.ndim !== 4 || !(x.data instanceof Float32Array)) {
      throw new ShapeError(
        `ResidentConvSession.upload: expects a float32 [N, C, H, W] tensor, got ${x.dtype} ${formatShape(x.shape)}`,
      );
    }
    const a = this.allocate(x.shape as [number, number, number, number]);
    a.buffer.view().set(x.data.subarray(0, x.size));
    return a;
  }

  /** The activation copied out into a new float32 tensor (the activation stays resident). */
  download(x: ResidentActivation): Tensor {
    const data = new Float32Array(this.own(x, 'download').buffer.view());
    return new Tensor(data, [...x.shape]);
  }

  /** Frees an activation's wasm memory; it must not be used afterwards. */
  release(x: ResidentActivation): void {
    const a = this.own(x, 'release');
    this.live.delete(a);
    a.buffer.free();
  }

  /**
   * `conv2d(x, weight, bias, options)` on a resident activation, into a new resident activation; null (nothing done)
   * for a layer the session does not run: float64 weights, groups other than 1 or the channel count, a depthwise
   * kernel other than MobileNet's 3×3 (multiplier 1, dilation 1, stride 1 or 2 on both axes), a product below the
   * wasm GEMM's threshold (`conv2d` computes those on the TypeScript GEMM). `options.out` is refused.
   */
  conv2d(
    x: ResidentActivation,
    weight: Tensor,
    bias: Tensor | null,
    options: Omit<Conv2dOptions, 'out'> = {},
  ): ResidentActivation | null {
    const input = this.own(x, 'conv2d');
    if ((options as Conv2dOptions).out) throw new ValueError('ResidentConvSession.conv2d: out= is not supported');
    const g = convGeometry(x.shape, weight, bias, options);
    const { lo, hi } = activationRange(options.activation) ?? NO_CLAMP;
    if (!(weight.data instanceof Float32Array) || (bias && !(bias.data instanceof Float32Array))) return null;
    const { N, C, H, W, O, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW } = g;
    const depthwise = isDepthwise(g);
    if (depthwise && !isWasmDepthwise3x3(g)) return null;
    // below the wasm GEMM's threshold conv2d sums on the TypeScript GEMM: declined, so results stay conv2d's exactly
    if (!depthwise && !isWasmGemmConv(g)) return null;
    const w = this.pin(weight);
    const b = bias ? this.pin(bias) : null;
    const out = this.allocate([N, O, oH, oW]);
    const L = oH * oW;
    const xAt = (n: number): number => input.buffer.ptr + n * C * H * W * 4;
    const outAt = (n: number): number => out.buffer.ptr + n * O * L * 4;
    if (depthwise) {
      const scratch = this.kernels.heap.alloc(((oH - 1) * sH + 3) * ((oW - 1) * sW + 3) + 8);
      for (let n = 0; n < N; n++) {
        this.k.depthwise3x3(xAt(n), C, H, W, pH, pW, sH, w.ptr, b?.ptr ?? 0, outAt(n), oH, oW, scratch.ptr, lo, hi);
      }
      scratch.free();
      return out;
    }
    const pointwise = isPointwise(g);
    const K = C * kH * kW;
    const col = pointwise ? null : this.kernels.heap.alloc(K * L);
    // Few pixels: the product transposed, outᵀ [L, O] = colᵀ · weightᵀ, against the weight packed once.
    const transposed = L <= TRANSPOSED_MAX_PIXELS ? this.kernels.heap.alloc(L * O) : null;
    const packed = transposed ? this.packedWeight(weight, w, O, K) : null;
    for (let n = 0; n < N; n++) {
      // the col matrix unfolded from the resident input by the wasm im2col (conv2d's layout)
      if (col) this.k.im2col(xAt(n), C, H, W, kH, kW, sH, sW, pH, pW, dH, dW, oH, oW, col.ptr);
      if (transposed && packed) {
        this.kernels.gemmPrepackedResident(true, L, O, K, col ?? xAt(n), packed, transposed, false);
        this.k.bias_clamp_transpose(transposed.ptr, outAt(n), L, O, b?.ptr ?? 0, lo, hi);
        continue;
      }
      this.kernels.gemmResident(false, false, O, L, K, w, col ?? xAt(n), outAt(n), false);
      this.k.bias_clamp_rows(outAt(n), O, L, b?.ptr ?? 0, lo, hi);
    }
    col?.free();
    transposed?.free();
    return out;
  }

  /** a + b (same shape, float32 sums as `add`'s) into a new resident activation, on a wasm SIMD kernel. */
  add(a: ResidentActivation, b: ResidentActivation): ResidentActivation {
    const x = this.own(a, 'add');
    const y = this.own(b, 'add');
    if (a.shape.some((d, i) => d !== b.shape[i])) {
      throw new ShapeError(
        `ResidentConvSession.add: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`,
      );
    }
    const out = this.allocate(a.shape);
    this.k.add_f32(x.buffer.ptr, y.buffer.ptr, out.buffer.ptr, out.buffer.length);
    return out;
  }

  /** Frees every pinned weight and live activation. The session must not be used afterwards. */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    for (const a of this.live) a.buffer.free();
    this.live.clear();
    for (const p of this.pinned.values()) p.free();
    this.pinned.clear();
    for (const p of this.packs.values()) p.free();
    this.packs.clear();
  }

  private allocate(shape: readonly [number, number, number, number]): Live {
    const a: Live = {
      shape: [...shape] as [number, number, number, number],
      buffer: this.kernels.heap.alloc(product(shape)),
    };
    this.live.add(a);
    return a;
  }

  /** The weight [O, K] packed as the right operand of outᵀ = colᵀ · weightᵀ, made on first use. */
  private packedWeight(weight: Tensor, copy: WasmBuffer, O: number, K: number): PackedB {
    let p = this.packs.get(weight);
    if (!p) {
      p = this.kernels.packB(true, O, K, copy);
      this.packs.set(weight, p);
    }
    return p;
  }

  /** The wasm copy of a weight or bias, made on first use. */
  private pin(t: Tensor): WasmBuffer {
    let p = this.pinned.get(t);
    if (p) return p;
    if (t.requiresGrad) {
      throw new ValueError(
        `ResidentConvSession: a ${formatShape(t.shape)} weight requires grad; ` +
          'the session is for inference with fixed weights',
      );
    }
    p = this.kernels.heap.alloc(t.size);
    p.view().set((t.data as Float32Array).subarray(0, t.size));
    this.pinned.set(t, p);
    return p;
  }

  private own(x: ResidentActivation, what: string): Live {
    this.check();
    if (!this.live.has(x as Live)) {
      throw new ValueError(`ResidentConvSession.${what}: not a live activation of this session (released already?)`);
    }
    return x as Live;
  }

  private check(): void {
    if (this.freed) throw new ValueError('ResidentConvSession used after free()');
  }
}
