// A recurrent layer fed straight from an embedding projects the table once instead of every token
// (kernels/recurrent/tokens.ts). Same forward bits as projecting the looked-up rows, the same gradients up to
// summation order, and the embedding table receives its gradient directly.
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';
import { randn } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import '../src/ops/methods.js';
import { embedding, embeddingSourceOf } from '../src/ops/embedding.js';
import { LSTM } from '../src/nn/lstm.js';
import { GRU } from '../src/nn/gru.js';
import type { RecurrentBase } from '../src/nn/recurrent.js';
import { getBackend, useBackend, type BackendName } from '../src/kernels/backend.js';
import { gradcheck } from '../src/autograd/gradcheck.js';
import { scatterAddRows } from '../src/kernels/recurrent/tokens.js';
import { activeGateKernels } from '../src/kernels/wasm/gate-kernels.js';
import { workspace } from '../src/kernels/recurrent/wasm-workspace.js';

const V = 6;
const E = 5;

function ids(B: number, T: number, seed: number): Int32Array {
  const g = new Generator(seed);
  return Int32Array.from({ length: B * T }, () => Math.floor(g.random() * V));
}

/** Largest |a−b| / (1 + |b|). */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return w;
}

interface Run {
  outputs: Tensor[];
  grads: Float32Array[] | Float64Array[];
}

/**
 * Embedding → layer → weighted sum, backward. `folded` false multiplies the lookup by 1 first, which gives the same
 * values but hides where they came from, so the layer projects every token.
 */
function run(
  make: () => RecurrentBase,
  dtype: 'float32' | 'float64',
  folded: boolean,
  B: number,
  T: number,
  padding: number | null = null,
  alsoUseLookup = false,
  lengths?: number[],
): Run {
  const layer = make();
  const table = randn([V, E], { dtype, requiresGrad: true, generator: new Generator(3) });
  const tok = ids(B, T, 4);
  const e = embedding(tok, table, padding, layer.batchFirst ? [B, T] : [T, B]);
  const x = folded ? e : e.mul(1);
  const { output, state } = layer.forward(x, { lengths });
  const w = randn(output.shape, { dtype, generator: new Generator(5) });
  let loss = output.mul(w).sum().add(state.h.sum());
  if (alsoUseLookup) loss = loss.add(e.mul(e).sum());
  loss.backward();
  return {
    outputs: [output, state.h, ...(state.c ? [state.c] : [])],
    grads: [table, ...layer.parameters()].map((p) => p.grad!.data) as Float32Array[],
  };
}

function compare(
  make: () => RecurrentBase,
  dtype: 'float32' | 'float64',
  B: number,
  T: number,
  tol: number,
  padding: number | null = null,
  alsoUseLookup = false,
  lengths?: number[],
): void {
  const a = run(make, dtype, true, B, T, padding, alsoUseLookup, lengths);
  const b = run(make, dtype, false, B, T, padding, alsoUseLookup, lengths);
  // forward: the same bits
  a.outputs.forEach((t, i) => {
    expect(Array.from(t.data)).toEqual(Array.from(b.outputs[i]!.data));
  });
  a.grads.forEach((g, i) => {
    expect(worst(g, b.grads[i]!), `gradient ${i}`).toBeLessThan(tol);
  });
  if (padding !== null)
    expect(Array.from(a.grads[0]!.subarray(padding * E, (padding + 1) * E))).toEqual([0, 0, 0, 0, 0]);
}

describe('recurrent layers fed straight from an embedding (token projection)', () => {
  const before = getBackend();
  afterAll(() => useBackend(before));
  const backends: BackendName[] = ['wasm', 'ts'];
  for (const backend of backends) {
    it(`float32 LSTM, batch-first, ${backend} backend: same forward bits, same gradients`, () => {
      useBackend(backend);
      compare(
        () => new LSTM({ inputSize: E, hiddenSize: 32, batchFirst: true, generator: new Generator(1) }),
        'float32',
        4,
        5,
        2e-6,
      );
    });
    it(`float32 2-layer bidirectional LSTM, time-major, padding index, ${backend} backend`, () => {
      useBackend(backend);
      compare(
        () => new LSTM({ inputSize: E, hiddenSize: 6, numLayers: 2, bidirectional: true, generator: new Generator(2) }),
        'float32',
        3,
        7,
        2e-6,
        2,
      );
    });
  }
  it('variable lengths: float32 LSTM (wasm) and float64 GRU', () => {
    useBackend('wasm');
    compare(
      () => new LSTM({ inputSize: E, hiddenSize: 8, batchFirst: true, generator: new Generator(4) }),
      'float32',
      4,
      6,
      2e-6,
      null,
      false,
      [6, 2, 4, 1],
    );
    compare(
      () =>
        new GRU({ inputSize: E, hiddenSize: 5, bidirectional: true, dtype: 'float64', generator: new Generator(5) }),
      'float64',
      4,
      6,
      1e-13,
      1,
      false,
      [3, 6, 1, 5],
    );
  });
  it('float64 GRU (TS kernels): gradients equal to float64 rounding, also when the lookup is used elsewhere', () => {
    useBackend('wasm');
    compare(
      () => new GRU({ inputSize: E, hiddenSize: 7, batchFirst: true, dtype: 'float64', generator: new Generator(6) }),
      'float64',
      4,
      4,
      1e-13,
      null,
      true,
    );
  });
  it('float64 gradcheck of the table gradient through an LSTM', () => {
    const layer = new LSTM({ inputSize: E, hiddenSize: 4, dtype: 'float64', generator: new Generator(7) });
    const tok = ids(3, 5, 8);
    const table = randn([V, E], { dtype: 'float64', requiresGrad: true, generator: new Generator(9) });
    const res = gradcheck(
      (t) => {
        const out = layer.forward(embedding(tok, t!, null, [5, 3]));
        return [out.output, out.state.c!];
      },
      [table, ...layer.parameters()],
    );
    expect(res.ok, JSON.stringify(res.worst)).toBe(true);
  });
  it("takes the table as the layer node's input, unless the lookup's own gradient was asked for", () => {
    const layer = new LSTM({ inputSize: E, hiddenSize: 4, generator: new Generator(1) });
    const table = randn([V, E], { requiresGrad: true, generator: new Generator(3) });
    const tok = ids(4, 5, 4);
    const folded = layer.forward(embedding(tok, table, null, [5, 4])).output;
    expect(folded.gradFn!.inputs[0]).toBe(table);
    const e = embedding(tok, table, null, [5, 4]).retainGrad();
    const plain = layer.forward(e).output;
    expect(plain.gradFn!.inputs[0]).toBe(e);
    plain.sum().backward();
    expect(e.grad).not.toBeNull();
    // too few tokens for the vocabulary: projected per token
    const few = embedding(ids(1, 5, 4), table, null, [5, 1]);
    expect(layer.forward(few).output.gradFn!.inputs[0]).toBe(few);
  });
  it('only applies to the lookup as it was made: an edited lookup output is projected row by row', () => {
    const table = randn([V, E], { requiresGrad: true, generator: new Generator(3) });
    const e = embedding(ids(4, 5, 4), table, null, [5, 4]);
    expect(embeddingSourceOf(e)).not.toBeNull();
    e.data[7] = 42;
    expect(embeddingSourceOf(e)).toBeNull();
    const layer = new LSTM({ inputSize: E, hiddenSize: 4, generator: new Generator(1) });
    const edited = layer.forward(e).output;
    const copy = randn([5, 4, E]);
    copy.data.set(e.data);
    expect(Array.from(edited.data)).toEqual(Array.from(layer.forward(copy).output.data));
  });
  it('the wasm scatter_add_rows kernel adds the same float32 values in the same order as the TypeScript loop', () => {
    useBackend('wasm');
    const k = activeGateKernels()!;
    const rows = 37;
    const cols = 12;
    const g = new Generator(12);
    const src = Float32Array.from({ length: rows * cols }, () => g.normal() * 1e3);
    const id = Int32Array.from({ length: rows }, () => Math.floor(g.random() * 5));
    const expected = new Float32Array(5 * cols);
    scatterAddRows(src, id, cols, expected);
    const ws = workspace(k, rows * cols + rows + 5 * cols).ptr;
    const mem = k.gemm.heap.floats();
    mem.set(src, ws >> 2);
    new Int32Array(mem.buffer, ws + rows * cols * 4, rows).set(id);
    const dst = ws + (rows * cols + rows) * 4;
    mem.fill(0, dst >> 2, (dst >> 2) + 5 * cols);
    k.exports.scatter_add_rows(ws, ws + rows * cols * 4, rows, cols, dst);
    expect(Array.from(k.gemm.heap.floats().subarray(dst >> 2, (dst >> 2) + 5 * cols))).toEqual(Array.from(expected));
  });
});
