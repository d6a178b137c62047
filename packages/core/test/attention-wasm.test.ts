import { afterEach, describe, expect, it } from 'vitest';
import { additiveAttention } from '../src/ops/attention.js';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';

// Decoding (no gradient) with float32 tensors computes additive-attention scores on the wasm kernel: float32 tanh
// (≤ 1.5 ulp) and float32 sums, against the float64 loop of the TypeScript backend.
describe('additiveAttention scores on the wasm kernel (inference, float32)', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it('matches the TypeScript loop: plain, with lengths, and beams sharing key rows', async () => {
    await initWasm();
    const g = new Generator(21);
    const cases = [
      { B: 2, K: 2, S: 7, H: 8, Dv: 5, options: {} },
      { B: 3, K: 3, S: 13, H: 16, Dv: 6, options: { lengths: [13, 4, 9] } },
      { B: 6, K: 2, S: 361, H: 256, Dv: 40, options: { keyRows: [0, 0, 0, 1, 1, 1] } },
    ];
    for (const { B, K, S, H, Dv, options } of cases) {
      const q = randn([B, H], { generator: g });
      const keys = randn([K, S, H], { generator: g });
      const v = randn([H], { generator: g });
      const values = randn([K, S, Dv], { generator: g });
      const run = (backend: 'wasm' | 'ts') => {
        useBackend(backend);
        return noGrad(() => additiveAttention(q, keys, v, values, options));
      };
      const wasm = run('wasm');
      const ts = run('ts');
      expect(wasm.weights.shape).toEqual([B, S]);
      for (const [a, b] of [
        [wasm.weights.data, ts.weights.data],
        [wasm.context.data, ts.context.data],
      ] as const) {
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(2e-5 * (1 + Math.abs(b[i]!)));
      }
      if ('lengths' in options) expect(wasm.weights.data[1 * S + 4]).toBe(0);
    }
  });

  it('keeps the float64 loop when gradients are recorded (the backward needs the tanh activations)', async () => {
    await initWasm();
    const g = new Generator(22);
    const q = randn([2, 8], { generator: g, requiresGrad: true });
    const keys = randn([2, 5, 8], { generator: g });
    const v = randn([8], { generator: g });
    const values = randn([2, 5, 3], { generator: g });
    useBackend('wasm');
    const a = additiveAttention(q, keys, v, values).weights.toArray();
    useBackend('ts');
    expect(additiveAttention(q, keys, v, values).weights.toArray()).toEqual(a);
  });
});
