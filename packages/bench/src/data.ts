import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Deterministic xorshift RNG so every implementation sees the same batches. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  private weights = new Float64Array(0);

  /** Samples an index from unnormalised logits at temperature 1 (no allocation per call: it runs once per W2 step). */
  sample(logits: ArrayLike<number>): number {
    const n = logits.length;
    if (this.weights.length < n) this.weights = new Float64Array(n);
    const p = this.weights;
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(logits[i]! - max);
      p[i] = e;
      sum += e;
    }
    let u = this.next() * sum;
    for (let i = 0; i < n; i++) {
      u -= p[i]!;
      if (u <= 0) return i;
    }
    return n - 1;
  }
}

const DATA_DIRS = [process.env.RECURRENT_DATA, '/work/shared/data'].filter((d): d is string => !!d);

/** tinyshakespeare as char ids (65 symbols), or a synthetic 65-symbol text when the dataset is not present. */
export function loadCharCorpus(): { text: string; chars: string[]; ids: Int32Array } {
  const dir = DATA_DIRS.find((d) => existsSync(join(d, 'tinyshakespeare', 'input.txt')));
  let text: string;
  if (dir) text = readFileSync(join(dir, 'tinyshakespeare', 'input.txt'), 'utf8');
  else {
    const rng = new Rng(7);
    const alphabet = Array.from({ length: 65 }, (_, i) => String.fromCharCode(32 + i)).join('');
    text = Array.from({ length: 200_000 }, () => alphabet[rng.int(65)]).join('');
  }
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  return { text, chars, ids: Int32Array.from(text, (c) => index.get(c)!) };
}

/** Fills input/target (B×T, row-major) with random windows of `ids`. */
export function charBatch(
  ids: Int32Array,
  rng: Rng,
  B: number,
  T: number,
  input: Int32Array,
  target: Int32Array,
): void {
  for (let b = 0; b < B; b++) {
    const off = rng.int(ids.length - T - 1);
    input.set(ids.subarray(off, off + T), b * T);
    target.set(ids.subarray(off + 1, off + T + 1), b * T);
  }
}

/** Wall time of `f` in milliseconds. */
export async function timeMs(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}
