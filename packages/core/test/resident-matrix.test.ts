// ResidentMatrix, core's one weight-residency mechanism (kernels/wasm/resident-matrix.ts): each layout is made once
// and gives the bits of the unpinned product.
import { describe, expect, it } from 'vitest';
import { gemm } from '../src/kernels/gemm.js';
import { activeWasmKernels, useBackend } from '../src/kernels/backend.js';
import { pinMatrix, ResidentMatrix } from '../src/kernels/wasm/resident-matrix.js';
import { Generator } from '../src/random.js';

function randomArray(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: n }, () => g.random() * 2 - 1);
}

function wasm() {
  useBackend('wasm');
  const k = activeWasmKernels();
  if (!k) throw new Error('the wasm backend did not start');
  return k;
}

describe('ResidentMatrix', () => {
  it('makes each packed layout once and multiplies exactly as gemm does', () => {
    const k = wasm();
    const [N, K] = [48, 40];
    const B = randomArray(N * K, 1);
    const m = new ResidentMatrix(k, B);
    const p = m.packed(true, N, K);
    expect(m.packed(true, N, K)).toBe(p);
    expect(m.packed(false, K, N)).not.toBe(p);
    for (const M of [1, 5, 33]) {
      const A = randomArray(M * K, 10 + M);
      const want = new Float32Array(M * N);
      const got = new Float32Array(M * N);
      gemm(false, true, M, N, K, A, B, want, false);
      m.gemm(false, true, M, N, K, A, got, false);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    m.free();
    m.free();
    expect(() => m.packed(true, N, K)).toThrow(/after free/);
  });

  it('keeps one interleaved copy for single-row products (null when N is not a multiple of 16)', () => {
    const k = wasm();
    const [N, K] = [64, 24];
    const W = randomArray(N * K, 2);
    const m = new ResidentMatrix(k, W);
    const w16 = m.interleaved16(N, K);
    expect(w16).not.toBeNull();
    expect(m.interleaved16(N, K)).toBe(w16);
    const a = k.heap.alloc(K);
    const c = k.heap.alloc(N);
    const ref = k.heap.alloc(N);
    a.view().set(randomArray(K, 3));
    k.gemv16(a, w16!, c, N, K, false);
    const fresh = k.interleave16(W, N, K);
    k.gemv16(a, fresh, ref, N, K, false);
    expect(Array.from(c.view())).toEqual(Array.from(ref.view()));
    expect(new ResidentMatrix(k, randomArray(24 * K, 4)).interleaved16(24, K)).toBeNull();
    for (const b of [a, c, ref, fresh]) b.free();
    m.free();
  });

  it('pinMatrix is a ResidentMatrix for float32 on wasm and plain gemm otherwise', () => {
    wasm();
    const f32 = pinMatrix(randomArray(64, 5));
    expect(f32).toBeInstanceOf(ResidentMatrix);
    f32.free();
    const f64 = pinMatrix(Float64Array.from(randomArray(64, 6)));
    expect(f64).not.toBeInstanceOf(ResidentMatrix);
    f64.free();
    const v = new Float64Array(8);
    expect(() => f64.gemm(false, false, 1, 8, 8, v, v, false)).toThrow(/after free/);
    useBackend('ts');
    const ts = pinMatrix(randomArray(64, 7));
    expect(ts).not.toBeInstanceOf(ResidentMatrix);
    ts.free();
    useBackend('wasm');
  });
});
