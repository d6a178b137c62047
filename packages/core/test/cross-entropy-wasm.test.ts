import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy, type CrossEntropyOptions } from '../src/losses/cross-entropy.js';
import { softmaxRowStats, WASM_SOFTMAX_MIN_SIZE } from '../src/losses/softmax-stats.js';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { softmaxGradRowsWasm, softmaxRowStatsWasm } from '../src/kernels/wasm/softmax-kernels.js';
import { randn } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Generator } from '../src/random.js';
import '../src/ops/methods.js';

// float32 logits of at least WASM_SOFTMAX_MIN_SIZE values run crossEntropy's two passes on the wasm kernels
// (kernels/wasm/softmax.wat): float32 exponentials (≤ 1 ulp) summed in float64. Compared here with the exact
// definition in float64 (the same values widened, the TypeScript loop), with bounds derived from that rounding.

/** float32 logits [rows, C] with a spread of `scale`, a few −∞ (a masked class) if asked. */
function logits32(rows: number, C: number, seed: number, scale: number, minusInf = 0): Float32Array {
  const x = randn([rows, C], { generator: new Generator(seed) }).data as Float32Array;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * scale;
  const g = new Generator(seed + 1);
  for (let k = 0; k < minusInf; k++) x[Math.floor(g.random() * x.length)] = -Infinity;
  return x;
}

describe('softmax kernels (wasm, float32)', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it('row stats: exact max, Σ exp within the float32 rounding of each term, Σ z as float64 sums', async () => {
    await initWasm();
    useBackend('wasm');
    for (const C of [1, 2, 3, 4, 5, 13, 64, 8003]) {
      const rows = Math.max(3, Math.ceil(70000 / C) % 40);
      const z = logits32(rows, C, C, 6, C > 4 ? 3 : 0);
      const stats = new Float64Array(3 * rows);
      expect(softmaxRowStatsWasm(z, rows, C, stats)).toBe(true);
      for (let i = 0; i < rows; i++) {
        const row = z.subarray(i * C, (i + 1) * C);
        const max = Math.max(...row);
        let sumExp = 0;
        let bound = 0;
        let sumZ = 0;
        for (const v of row) {
          const e = Math.exp(v - max);
          sumExp += e;
          // the argument z − max is rounded to float32, then exp is within 1 ulp
          if (e > 0) bound += e * 2 ** -22 * (2 + Math.abs(v - max));
          sumZ += v;
        }
        expect(stats[3 * i], `C ${C} row ${i}`).toBe(max);
        expect(Math.abs(stats[3 * i + 1]! - sumExp), `C ${C} row ${i}`).toBeLessThanOrEqual(bound + 1e-300);
        if (Number.isFinite(sumZ)) expect(Math.abs(stats[3 * i + 2]! - sumZ)).toBeLessThan(1e-9 * C);
        else expect(stats[3 * i + 2]).toBe(sumZ);
      }
    }
  });

  it('grad rows: k·exp(z − shift) − s per row, zeros for k = s = 0, nothing written past a row', async () => {
    await initWasm();
    useBackend('wasm');
    for (const C of [1, 3, 6, 7, 9000]) {
      const rows = 11;
      const z = logits32(rows, C, 40 + C, 3);
      z[C - 1] = Infinity; // row 0 is "ignored": written as zeros whatever it holds
      const coefs = new Float32Array(3 * rows);
      for (let i = 1; i < rows; i++) {
        coefs[3 * i] = Math.max(...z.subarray(i * C, (i + 1) * C));
        coefs[3 * i + 1] = 0.5 + i / 7;
        coefs[3 * i + 2] = i % 3 === 0 ? 0 : 0.01 * i;
      }
      const out = new Float32Array(rows * C + 1).fill(7);
      expect(softmaxGradRowsWasm(z, rows, C, coefs, out)).toBe(true);
      expect(out[rows * C]).toBe(7);
      for (let c = 0; c < C; c++) expect(out[c]).toBe(0);
      for (let i = 1; i < rows; i++) {
        for (let c = 0; c < C; c++) {
          const at = i * C + c;
          const e = Math.exp(z[at]! - coefs[3 * i]!);
          const want = coefs[3 * i + 1]! * e - coefs[3 * i + 2]!;
          const tol = 2 ** -21 * (coefs[3 * i + 1]! * e * (3 + Math.abs(z[at]! - coefs[3 * i]!)) + Math.abs(want));
          if (!(Math.abs(out[at]! - want) <= tol)) expect(out[at], `C ${C} [${i}, ${c}]`).toBe(want);
        }
      }
    }
  });
});

describe('crossEntropy on the wasm kernels (float32, large vocabularies)', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  /** Loss and gradient of float32 logits under one backend. */
  function run(z: Float32Array, shape: number[], targets: Int32Array, options: CrossEntropyOptions) {
    const x = new Tensor(z.slice(), shape, { requiresGrad: true });
    const loss = crossEntropy(x, targets, options);
    loss.sum().backward();
    return { loss: Float64Array.from(loss.data), grad: x.grad!.data as Float32Array };
  }

  it('matches the float64 definition: mean/sum/none, ε 0 and 0.1, ignoreIndex, −∞ logits, chunk edges', async () => {
    await initWasm();
    const rows = 37; // 8003 classes: 8 rows per staged chunk, so 5 chunks, the last partial
    const C = 8003;
    const z = logits32(rows, C, 5, 4, 20);
    const targets = new Int32Array(rows);
    const g = new Generator(9);
    for (let i = 0; i < rows; i++) targets[i] = i % 5 === 2 ? 0 : 1 + Math.floor(g.random() * (C - 1));
    useBackend('wasm');
    expect(softmaxRowStats(z, rows, C).wasm).toBe(true);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const labelSmoothing of [0, 0.1]) {
        const options: CrossEntropyOptions = { ignoreIndex: 0, labelSmoothing, reduction };
        useBackend('wasm');
        const got = run(z, [rows, C], targets, options);
        // the exact definition: the same logits in float64 (the TypeScript loop, Math.exp)
        const x64 = new Tensor(Float64Array.from(z), [rows, C], { requiresGrad: true });
        const want = crossEntropy(x64, targets, options);
        want.sum().backward();
        for (let i = 0; i < want.size; i++) {
          // a row holding a −∞ logit has an infinite smoothing term
          if (!Number.isFinite(want.data[i]!)) expect(got.loss[i]).toBe(want.data[i]);
          else expect(Math.abs(got.loss[i]! - want.data[i]!)).toBeLessThan(2e-6 * (1 + Math.abs(want.data[i]!)));
        }
        const g64 = x64.grad!.data;
        const counted = targets.filter((t) => t !== 0).length;
        const scale = reduction === 'mean' ? 1 / counted : 1;
        // float32 rounding of z − max (relative to |z − max|), of exp (1 ulp), the coefficients and the result
        const rowMax = Array.from({ length: rows }, (_, r) => Math.max(...z.subarray(r * C, (r + 1) * C)));
        for (let i = 0; i < g64.length; i++) {
          const spread = Math.abs(z[i]! - rowMax[Math.floor(i / C)]!);
          const tol = 2 ** -20 * (Math.abs(g64[i]!) * (2 + spread) + 2 * scale * (labelSmoothing / C)) + 1e-30;
          if (!(Math.abs(got.grad[i]! - g64[i]!) <= tol))
            expect(got.grad[i], `${reduction} ε ${labelSmoothing} at ${i}`).toBe(g64[i]);
        }
        // ignored rows: exact zeros
        for (let c = 0; c < C; c++) expect(got.grad[2 * C + c]).toBe(0);
      }
    }
  });

  it('gives what the TypeScript backend gives within float32 rounding, and its NaN for a row holding +∞', async () => {
    await initWasm();
    const rows = 6;
    const C = 1000;
    const z = logits32(rows, C, 77, 2);
    z[3 * C + 10] = Infinity;
    z[4 * C + 11] = Number.NaN;
    const targets = Int32Array.from([1, 2, 3, 4, 5, 6]);
    useBackend('wasm');
    expect(rows * C).toBeGreaterThanOrEqual(WASM_SOFTMAX_MIN_SIZE);
    const wasm = run(z, [rows, C], targets, { labelSmoothing: 0.1, reduction: 'none' });
    useBackend('ts');
    const ts = run(z, [rows, C], targets, { labelSmoothing: 0.1, reduction: 'none' });
    for (let i = 0; i < rows; i++) {
      if (i === 3 || i === 4) expect(wasm.loss[i]).toBe(ts.loss[i]);
      else expect(Math.abs(wasm.loss[i]! - ts.loss[i]!)).toBeLessThan(1e-5 * Math.abs(ts.loss[i]!));
    }
    for (let i = 0; i < rows * C; i++) {
      const row = Math.floor(i / C);
      if (row === 3 || row === 4) expect(Object.is(wasm.grad[i], ts.grad[i]), `${i}`).toBe(true);
      else if (!(Math.abs(wasm.grad[i]! - ts.grad[i]!) < 1e-6 * (Math.abs(ts.grad[i]!) + 1e-4)))
        expect(wasm.grad[i], `${i}`).toBe(ts.grad[i]);
    }
  });
});
