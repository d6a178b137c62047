// Weights pinned across calls (RecurrentBase.pinWeights): the lifetime policy around the resident copies
// (kernels/wasm/resident-matrix.ts through residentLstmWeights) that a float32 LSTM forward reads instead of copying
// its weights in on every call.
import type { Tensor } from '../../tensor/tensor.js';
import { lstmWasmKernels, residentLstmWeights, type ResidentLstmWeights } from '../../kernels/recurrent/lstm-wasm.js';
import type { StackConfig } from './stack.js';
import type { RecurrentWeights } from './run.js';

/** Entries sampled per tensor to notice weights changed behind the pin's back (e.g. by an optimizer step). */
const SAMPLES = 32;

/**
 * The state behind `RecurrentBase.pinWeights()`: resident copies of a layer's weights, created lazily, dropped when
 * a forward records gradients (training) or when a sample of the live values no longer matches the copy.
 */
export class PinnedRecurrentWeights {
  refs = 0;
  private copies: ResidentLstmWeights[] | null = null;
  private fingerprint: Float64Array | null = null;

  private readonly tensors: readonly (Tensor | null)[];

  constructor(
    private readonly config: StackConfig,
    private readonly weights: RecurrentWeights,
  ) {
    this.tensors = [...weights.wIH, ...weights.wHH, ...weights.bIH, ...weights.bHH];
  }

  /** For `runRecurrent`: the resident weights of (layer, direction) k for an inference forward, else null. */
  readonly lookup = (k: number, recording: boolean): ResidentLstmWeights | null => {
    if (recording) {
      this.invalidate();
      return null;
    }
    if (k === 0 && this.copies && !this.matches()) this.invalidate();
    if (!this.copies) {
      // null when the layer cannot use resident weights (not a float32 LSTM, or wasm not ready): asked again next time
      this.copies = this.make();
      if (!this.copies) return null;
      this.fingerprint = this.sample();
    }
    return this.copies[k] ?? null;
  };

  invalidate(): void {
    if (this.copies) for (const c of this.copies) c.free();
    this.copies = null;
    this.fingerprint = null;
  }

  dispose(): void {
    this.invalidate();
  }

  /** SAMPLES evenly spaced entries of every weight tensor (all of them for small tensors). */
  private sample(): Float64Array {
    const out: number[] = [];
    this.visitSamples((v) => void out.push(v));
    return Float64Array.from(out);
  }

  /** Whether the live values still equal the fingerprint (no allocation: this runs on every generated step). */
  private matches(): boolean {
    const then = this.fingerprint!;
    let i = 0;
    let same = true;
    this.visitSamples((v) => {
      if (same && !(i < then.length && Object.is(v, then[i]))) same = false;
      i++;
    });
    return same && i === then.length;
  }

  private visitSamples(visit: (v: number) => void): void {
    for (const t of this.tensors) {
      if (!t) continue;
      const d = t.data;
      const n = d.length;
      const step = Math.max(1, Math.floor(n / SAMPLES));
      for (let i = (step >> 1) % n; i < n; i += step) visit(d[i]!);
    }
  }

  /** Resident copies of every (layer, direction), or null when this layer cannot run on them. */
  private make(): ResidentLstmWeights[] | null {
    const w = this.weights;
    const H = this.config.hiddenSize;
    if (this.config.mode !== 'lstm' || w.wIH[0]?.dtype !== 'float32') return null;
    const gk = lstmWasmKernels(H);
    if (!gk) return null;
    const f32 = (t: Tensor | null): Float32Array | null => (t ? (t.data as Float32Array) : null);
    return w.wIH.map((wIH, k) => {
      const wHH = w.wHH[k];
      if (!wHH) throw new Error(`internal: recurrent weights have no weight_hh for (layer, direction) ${k}`);
      return residentLstmWeights(gk, {
        H,
        inputSize: wIH.shape[1]!,
        wIH: wIH.data as Float32Array,
        wHH: wHH.data as Float32Array,
        bIH: f32(w.bIH[k] ?? null),
        bHH: f32(w.bHH[k] ?? null),
      });
    });
  }
}
