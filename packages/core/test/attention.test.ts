import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../src/tensor/tensor.js';
import { randn, tensor } from '../src/tensor/creation.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { Generator } from '../src/random.js';
import { additiveAttention, dotAttention } from '../src/ops/attention.js';
import { linear } from '../src/ops/matmul.js';
import { AdditiveAttention, LuongAttention } from '../src/nn/attention.js';
import { runCase } from '../src/parity/runner.js';
import { findReferenceDir } from '../src/io/paths.js';
import { ShapeError, ValueError } from '../src/errors.js';
import '../src/parity/handlers/attention.js';

const f64 = (shape: number[], g: Generator, requiresGrad = true): Tensor =>
  randn(shape, { dtype: 'float64', generator: g, requiresGrad });

/** Straightforward (unfused) reference: masked softmax over scores, weighted sum of values. */
function reference(
  scores: number[][],
  values: Tensor,
  keep: (b: number, s: number) => boolean,
): { weights: number[][]; context: number[][] } {
  const [, S, Dv] = values.shape as [number, number, number];
  const weights = scores.map((row, b) => {
    const m = Math.max(...row.filter((_, s) => keep(b, s)));
    const e = row.map((x, s) => (keep(b, s) ? Math.exp(x - m) : 0));
    const z = e.reduce((p, q) => p + q, 0);
    return e.map((x) => x / z);
  });
  const context = weights.map((row, b) =>
    Array.from({ length: Dv }, (_, d) => row.reduce((acc, a, s) => acc + a * values.data[(b * S + s) * Dv + d]!, 0)),
  );
  return { weights, context };
}

describe('fused attention ops', () => {
  it('additive attention matches an unfused computation and zeroes masked positions exactly', () => {
    const g = new Generator(1);
    const [B, S, H, Dv] = [2, 5, 4, 3];
    const pq = f64([B, H], g, false);
    const pk = f64([B, S, H], g, false);
    const v = f64([H], g, false);
    const values = f64([B, S, Dv], g, false);
    const lengths = [5, 2];
    const { context, weights } = additiveAttention(pq, pk, v, values, { lengths });
    const scores = Array.from({ length: B }, (_, b) =>
      Array.from({ length: S }, (_, s) => {
        let sc = 0;
        for (let h = 0; h < H; h++) sc += v.data[h]! * Math.tanh(pq.data[b * H + h]! + pk.data[(b * S + s) * H + h]!);
        return sc;
      }),
    );
    const ref = reference(scores, values, (b, s) => s < lengths[b]!);
    expect(weights.shape).toEqual([B, S]);
    expect(context.shape).toEqual([B, Dv]);
    (weights.tolist() as number[][]).flat().forEach((w, i) => {
      expect(w).toBeCloseTo(ref.weights.flat()[i]!, 12);
    });
    (context.tolist() as number[][]).flat().forEach((c, i) => {
      expect(c).toBeCloseTo(ref.context.flat()[i]!, 12);
    });
    expect(weights.data.slice(S + 2, 2 * S)).toEqual(new Float64Array(3));
    expect(weights.data[1 * S + 1]).toBeGreaterThan(0);
  });

  it('gradchecks additive attention with a length mask and a tensor mask', () => {
    const g = new Generator(2);
    const [B, S, H, Dv] = [3, 4, 3, 2];
    const inputs = [f64([B, H], g), f64([B, S, H], g), f64([H], g), f64([B, S, Dv], g)];
    const mask = tensor(
      [
        [1, 0, 1, 1],
        [1, 1, 1, 1],
        [0, 0, 1, 0],
      ],
      undefined,
      { dtype: 'float64' },
    );
    for (const opts of [{ lengths: [4, 2, 1] }, { mask }, { lengths: [3, 4, 4], mask }]) {
      const r = gradcheck((a, b, c, d) => {
        const o = additiveAttention(a!, b!, c!, d!, opts);
        return [o.context, o.weights];
      }, inputs);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it('gradchecks dot attention (keys shared with values, and scaled)', () => {
    const g = new Generator(3);
    const [B, S, D] = [2, 5, 3];
    const q = f64([B, D], g);
    const k = f64([B, S, D], g);
    const vals = f64([B, S, 4], g);
    const shared = gradcheck(
      (a, b) => {
        const o = dotAttention(a!, b!, b!, { lengths: [5, 3] });
        return [o.context, o.weights];
      },
      [q, k],
    );
    expect(shared.ok, JSON.stringify(shared)).toBe(true);
    const separate = gradcheck(
      (a, b, c) => {
        const o = dotAttention(a!, b!, c!, { lengths: [2, 5], scale: 0.5 });
        return [o.context, o.weights];
      },
      [q, k, vals],
    );
    expect(separate.ok, JSON.stringify(separate)).toBe(true);
  });

  it('keyRows lets query rows share key rows: same as copying the rows, and gradients accumulate', () => {
    const g = new Generator(8);
    const [Bk, S, H, Dv] = [2, 4, 3, 2];
    const keyRows = [1, 0, 1];
    const pq = f64([3, H], g);
    const pk = f64([Bk, S, H], g);
    const v = f64([H], g);
    const vals = f64([Bk, S, Dv], g);
    const lengths = [4, 2];
    const copy = (t: Tensor): Tensor => {
      const inner = t.size / t.shape[0]!;
      const out = new Float64Array(keyRows.length * inner);
      keyRows.forEach((r, i) => {
        out.set(t.data.subarray(r * inner, (r + 1) * inner), i * inner);
      });
      return new Tensor(out, [keyRows.length, ...t.shape.slice(1)]);
    };
    const shared = additiveAttention(pq, pk, v, vals, { lengths, keyRows });
    const copied = additiveAttention(pq, copy(pk), v, copy(vals), { lengths: keyRows.map((r) => lengths[r]!) });
    expect(shared.weights.toArray()).toEqual(copied.weights.toArray());
    expect(shared.context.toArray()).toEqual(copied.context.toArray());
    const add = gradcheck(
      (a, b, c, d) => {
        const o = additiveAttention(a!, b!, c!, d!, { lengths, keyRows });
        return [o.context, o.weights];
      },
      [pq, pk, v, vals],
    );
    expect(add.ok, JSON.stringify(add)).toBe(true);
    const q = f64([3, H], g);
    const dot = gradcheck(
      (a, b, c) => {
        const o = dotAttention(a!, b!, c!, { lengths, keyRows, scale: 0.7 });
        return [o.context, o.weights];
      },
      [q, pk, vals],
    );
    expect(dot.ok, JSON.stringify(dot)).toBe(true);
    expect(() => dotAttention(q, pk, vals, { keyRows: [0, 2, 1] })).toThrow(/keyRows\[1\] = 2/);
    expect(() => dotAttention(q, pk, vals, { keyRows: [0, 1] })).toThrow(ShapeError);
    expect(() => dotAttention(q, pk, vals)).toThrow(ShapeError);
  });

  it('rejects bad shapes, lengths and fully masked rows', () => {
    const g = new Generator(4);
    const q = f64([2, 3], g, false);
    const k = f64([2, 4, 3], g, false);
    expect(() => dotAttention(q, f64([2, 4, 2], g, false), k)).toThrow(ShapeError);
    expect(() => dotAttention(q, k, f64([2, 3, 3], g, false))).toThrow(/values must have shape \[2, 4, Dv\]/);
    expect(() => dotAttention(q, k, k, { lengths: [4] })).toThrow(ShapeError);
    expect(() => dotAttention(q, k, k, { lengths: [4, 0] })).toThrow(ValueError);
    expect(() => dotAttention(q, k, k, { lengths: [5, 1] })).toThrow(ValueError);
    expect(() =>
      dotAttention(q, k, k, {
        mask: tensor([
          [1, 1, 0, 0],
          [0, 0, 0, 0],
        ]),
      }),
    ).toThrow(/row 1 has no unmasked/);
    expect(() => additiveAttention(q, k, f64([4], g, false), k)).toThrow(/v must have shape \[3\]/);
  });
});

describe('attention modules', () => {
  it('names parameters like PyTorch submodules', () => {
    const add = new AdditiveAttention({ queryDim: 5, keyDim: 6, hiddenDim: 4, bias: true });
    expect(Object.entries(add.stateDict()).map(([k, t]) => [k, t.shape])).toEqual([
      ['query_proj.weight', [4, 5]],
      ['key_proj.weight', [4, 6]],
      ['key_proj.bias', [4]],
      ['v.weight', [1, 4]],
    ]);
    expect(Object.keys(new AdditiveAttention({ queryDim: 5, keyDim: 6, hiddenDim: 4 }).stateDict())).not.toContain(
      'key_proj.bias',
    );
    expect(
      Object.entries(new LuongAttention({ queryDim: 5, keyDim: 6, score: 'general' }).stateDict()).map(([k, t]) => [
        k,
        t.shape,
      ]),
    ).toEqual([['query_proj.weight', [6, 5]]]);
    expect(new LuongAttention({ queryDim: 6, keyDim: 6, score: 'dot' }).numParameters()).toBe(0);
    expect(() => new LuongAttention({ queryDim: 5, keyDim: 6, score: 'dot' })).toThrow(ValueError);
    expect(() => new AdditiveAttention({ queryDim: 0, keyDim: 6, hiddenDim: 4 })).toThrow(ValueError);
  });

  it('gives the same result with precomputed keys as with raw keys, and checks their owner', () => {
    const g = new Generator(5);
    const att = new AdditiveAttention({
      queryDim: 3,
      keyDim: 4,
      hiddenDim: 5,
      bias: true,
      dtype: 'float64',
      generator: g,
    });
    const keys = f64([2, 6, 4], g, false);
    const q = f64([2, 3], g, false);
    const prepared = att.precomputeKeys(keys);
    const a = att.forward(q, keys, { lengths: [6, 3] });
    const b = att.forward(q, prepared, { lengths: [6, 3] });
    expect(b.context.toArray()).toEqual(a.context.toArray());
    expect(b.weights.toArray()).toEqual(a.weights.toArray());
    const other = new AdditiveAttention({ queryDim: 3, keyDim: 4, hiddenDim: 5, dtype: 'float64', generator: g });
    expect(() => other.forward(q, prepared)).toThrow(/different attention module/);
    expect(() => att.forward(f64([3, 3], g, false), prepared)).toThrow(/query batch 3/);
    expect(() => att.forward(f64([2, 4], g, false), keys)).toThrow(ShapeError);
  });

  it('Luong general equals dot attention over W q; values default to the keys', () => {
    const g = new Generator(6);
    const att = new LuongAttention({ queryDim: 3, keyDim: 4, score: 'general', dtype: 'float64', generator: g });
    const keys = f64([2, 5, 4], g, false);
    const q = f64([2, 3], g, false);
    const got = att.forward(q, keys, { lengths: [2, 5] });
    const want = dotAttention(linear(q, att.queryProj!.weight), keys, keys, { lengths: [2, 5] });
    expect(got.context.toArray()).toEqual(want.context.toArray());
    const vals = f64([2, 5, 7], g, false);
    expect(att.forward(q, keys, { values: vals }).context.shape).toEqual([2, 7]);
  });

  it('gradchecks both modules through their parameters with masks', () => {
    const g = new Generator(7);
    const add = new AdditiveAttention({
      queryDim: 3,
      keyDim: 4,
      hiddenDim: 3,
      bias: true,
      dtype: 'float64',
      generator: g,
    });
    const gen = new LuongAttention({ queryDim: 3, keyDim: 4, score: 'general', dtype: 'float64', generator: g });
    const keys = f64([2, 4, 4], g);
    const q = f64([2, 3], g);
    const mask = tensor(
      [
        [1, 1, 0, 1],
        [1, 0, 0, 0],
      ],
      undefined,
      { dtype: 'float64' },
    );
    for (const att of [add, gen]) {
      const r = gradcheck(
        (qq, kk) => {
          const o = att.forward(qq!, att.precomputeKeys(kk!), { mask, lengths: [4, 3] });
          return [o.context, o.weights];
        },
        [q, keys, ...att.parameters()],
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  const ref = findReferenceDir();
  it.skipIf(!ref)('matches the PyTorch reference in float64 and float32', () => {
    const json = JSON.parse(readFileSync(join(ref!, 'pytorch', 'attention_additive_general.json'), 'utf8'));
    const r64 = runCase('attention_additive_general', json, 'float64');
    expect(r64.failures).toEqual([]);
    expect(r64.maxGradError).toBeLessThan(1e-10);
    const r32 = runCase('attention_additive_general', json, 'float32');
    expect(r32.failures).toEqual([]);
  });
});
