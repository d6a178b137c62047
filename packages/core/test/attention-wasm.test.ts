import { afterEach, describe, expect, it } from 'vitest';
import { additiveAttention } from '../src/ops/attention.js';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import '../src/ops/methods.js';

// float32 additive attention computes its scores on the wasm kernel — float32 tanh (≤ 1.5 ulp) and float32 sums —
// and, when training, keeps the tanh rows and runs its score backward on the kernel too; against the float64 loop
// of the TypeScript backend.
describe('additiveAttention scores on the wasm kernel (float32)', () => {
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

  it('trains on the kernels too: the tanh rows are kept, outputs and all four gradients match the loop', async () => {
    await initWasm();
    const g = new Generator(22);
    const cases = [
      { B: 3, K: 3, S: 5, H: 8, Dv: 3, options: { lengths: [5, 2, 4] } },
      { B: 4, K: 2, S: 7, H: 12, Dv: 6, options: { keyRows: [0, 1, 1, 0] } },
      { B: 64, K: 64, S: 21, H: 256, Dv: 256, options: {} },
    ];
    for (const { B, K, S, H, Dv, options } of cases) {
      const q = randn([B, H], { generator: g, requiresGrad: true });
      const keys = randn([K, S, H], { generator: g, requiresGrad: true });
      const v = randn([H], { generator: g, requiresGrad: true });
      const values = randn([K, S, Dv], { generator: g, requiresGrad: true });
      const upstream = randn([B, Dv], { generator: g });
      const upWeights = randn([B, S], { generator: g });
      const run = (backend: 'wasm' | 'ts') => {
        useBackend(backend);
        for (const t of [q, keys, v, values]) t.grad = null;
        const out = additiveAttention(q, keys, v, values, options);
        out.context.mul(upstream).sum().add(out.weights.mul(upWeights).sum()).backward();
        return [out.context, out.weights, q.grad!, keys.grad!, v.grad!, values.grad!].map((t) => t.data);
      };
      const wasm = run('wasm');
      const ts = run('ts');
      wasm.forEach((a, which) => {
        const b = ts[which]!;
        let scale = 0;
        for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
        for (let i = 0; i < a.length; i++) {
          if (!(Math.abs(a[i]! - b[i]!) <= 5e-5 * (Math.abs(b[i]!) + scale * 0.05)))
            expect(a[i], `B${B} H${H} output ${which} at ${i}`).toBe(b[i]);
        }
      });
    }
  });
});
