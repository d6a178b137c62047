import type { Tensor } from '../tensor/tensor.js';
import type { ResidentLstmWeights } from '../kernels/recurrent/lstm-wasm.js';

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

  constructor(
    private readonly make: () => ResidentLstmWeights[] | null,
    private readonly tensors: readonly (Tensor | null)[],
  ) {}

  /** For `runRecurrent`: the resident weights of (layer, direction) k for an inference forward, else null. */
  readonly lookup = (k: number, recording: boolean): ResidentLstmWeights | null => {
    if (recording) {
      this.invalidate();
      return null;
    }
    if (k === 0 && this.copies && !this.matches()) this.invalidate();
    if (!this.copies) {
      // null when the layer cannot use resident weights (not a float32 LSTM, or wasm not ready yet): asked again next time
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
}
