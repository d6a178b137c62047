import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gemm, gemmTS, WASM_GEMM_MIN_WORK } from '../src/kernels/gemm.js';
import { getBackend, initWasm, isWasmReady, useBackend, activeWasmKernels } from '../src/kernels/backend.js';
import { loadWasmKernelsSync, loadWasmKernels, wasmSimdSupported } from '../src/kernels/wasm/loader.js';
import { ShapeError, ValueError } from '../src/errors.js';
import { pinMatrix } from '../src/kernels/wasm/resident-matrix.js';
import { buildAll } from '../scripts/build-wasm.mjs';

/** Deterministic uniform(-1, 1) values (a tiny LCG, independent of the library RNG). */
function randomArray(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Exact float64 reference and the sum of |products| per entry, which bounds float32 rounding error. */
function reference(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C0: Float32Array | null,
) {
  const exact = new Float64Array(M * N);
  const mag = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = C0 ? C0[i * N + j]! : 0;
      let m = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const p = A[tA ? k * M + i : i * K + k]! * B[tB ? j * K + k : k * N + j]!;
        s += p;
        m += Math.abs(p);
      }
      exact[i * N + j] = s;
      mag[i * N + j] = m;
    }
  return { exact, mag };
}

function expectCloseToExact(got: Float32Array, ref: { exact: Float64Array; mag: Float64Array }, K: number): void {
  const eps = 2 ** -23;
  for (let i = 0; i < ref.exact.length; i++) {
    const tol = (K + 2) * eps * ref.mag[i]! + 1e-30;
    const err = Math.abs(got[i]! - ref.exact[i]!);
    if (!(err <= tol)) throw new Error(`entry ${i}: got ${got[i]}, exact ${ref.exact[i]}, error ${err} > ${tol}`);
  }
}

const kernels = loadWasmKernelsSync();

afterEach(() => useBackend('wasm'));

describe('wasm GEMM kernel', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 37, 5],
    [29, 1, 7],
    [5, 9, 1],
    [4, 8, 16],
    [3, 7, 2],
    [13, 17, 19],
    [1, 300, 64],
    [64, 1, 300],
    [130, 70, 257], // crosses the MC=128 and KC=256 blocks
    [9, 2061, 3], // crosses NC=2048
    [33, 40, 520],
  ];
  for (const [M, N, K] of shapes)
    for (const tA of [false, true])
      for (const tB of [false, true])
        for (const acc of [false, true])
          it(`${M}×${N}×${K} transA=${tA} transB=${tB} accumulate=${acc}: exact product to float32 rounding`, () => {
            const seed = M * 7919 + N * 104729 + K * 31 + (tA ? 1 : 0) + (tB ? 2 : 0);
            const A = randomArray(M * K, seed);
            const B = randomArray(K * N, seed + 1);
            const C0 = randomArray(M * N, seed + 2);
            const C = acc ? C0.slice() : new Float32Array(M * N).fill(Number.NaN);
            kernels.gemm(tA, tB, M, N, K, A, B, C, acc);
            expectCloseToExact(C, reference(tA, tB, M, N, K, A, B, acc ? C0 : null), K);
            // and agrees with the TypeScript kernel to the same bound
            const T = acc ? C0.slice() : new Float32Array(M * N);
            gemmTS(tA, tB, M, N, K, A, B, T, acc);
            expectCloseToExact(T, reference(tA, tB, M, N, K, A, B, acc ? C0 : null), K);
          });

  it('K = 0 gives zeros, or leaves C alone when accumulating', () => {
    const C = new Float32Array(6).fill(3);
    kernels.gemm(false, false, 2, 3, 0, new Float32Array(0), new Float32Array(0), C, true);
    expect(Array.from(C)).toEqual([3, 3, 3, 3, 3, 3]);
    kernels.gemm(false, false, 2, 3, 0, new Float32Array(0), new Float32Array(0), C, false);
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('accepts longer arrays (uses the leading elements) and rejects short ones with ShapeError', () => {
    const A = randomArray(12, 1);
    const B = randomArray(12, 2);
    const C = new Float32Array(10).fill(7);
    kernels.gemm(false, false, 2, 3, 4, A, B, C, false);
    expectCloseToExact(C.subarray(0, 6), reference(false, false, 2, 3, 4, A, B, null), 4);
    expect(Array.from(C.subarray(6))).toEqual([7, 7, 7, 7]);
    expect(() => kernels.gemm(false, false, 4, 3, 4, A, B, C, false)).toThrow(ShapeError);
    expect(() => kernels.gemm(false, false, 2, 3, 4, A, B, new Float32Array(5), false)).toThrow(/C needs 6 elements/);
  });

  it('runs on resident buffers without staging, and buffers survive memory growth', () => {
    const k = loadWasmKernelsSync();
    const [M, N, K] = [6, 10, 12];
    const a = k.heap.alloc(M * K);
    const b = k.heap.alloc(K * N);
    const c = k.heap.alloc(M * N);
    const A = randomArray(M * K, 5);
    const B = randomArray(K * N, 6);
    a.view().set(A);
    b.view().set(B);
    const bytesBefore = k.heap.memory.buffer.byteLength;
    const big = k.heap.alloc(4 << 20); // forces the memory to grow
    expect(k.heap.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
    k.gemmResident(false, true, M, N, K, a, b.ptr, c, false);
    // transB with B stored N×K: reinterpret the same data
    expectCloseToExact(c.view(), reference(false, true, M, N, K, A, B, null), K);
    expect(Array.from(a.view())).toEqual(Array.from(A));
    big.free();
    c.free();
    expect(() => c.view()).toThrow(ValueError);
    expect(() => c.free()).toThrow(/freed twice/);
  });

  it('heap reuses freed space first-fit and merges neighbours', () => {
    const k = loadWasmKernelsSync();
    const x = k.heap.alloc(100);
    const y = k.heap.alloc(100);
    const z = k.heap.alloc(100);
    const top = k.heap.reservedBytes;
    x.free();
    y.free();
    const w = k.heap.alloc(200); // fits in the merged x+y span
    expect(w.ptr).toBe(x.ptr);
    expect(k.heap.reservedBytes).toBe(top);
    z.free();
    w.free();
    expect(k.heap.reservedBytes).toBeLessThan(x.ptr + 1);
    expect(() => k.heap.alloc(-1)).toThrow(ValueError);
  });

  it('async loading gives a working instance too', async () => {
    const k = await loadWasmKernels();
    const A = randomArray(20, 9);
    const C = new Float32Array(16);
    k.gemm(false, true, 4, 4, 5, A, A, C, false);
    expectCloseToExact(C, reference(false, true, 4, 4, 5, A, A, null), 5);
  });
});

describe('backend selection', () => {
  it('defaults to wasm in Node and dispatches big float32 GEMMs to it', async () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(getBackend()).toBe('wasm');
    await initWasm();
    expect(isWasmReady()).toBe(true);
    expect(activeWasmKernels()).not.toBeNull();
    const [M, N, K] = [16, 16, 32];
    expect(M * N * K).toBeGreaterThanOrEqual(WASM_GEMM_MIN_WORK);
    const A = randomArray(M * K, 11);
    const B = randomArray(K * N, 12);
    const viaGemm = new Float32Array(M * N);
    const viaWasm = new Float32Array(M * N);
    gemm(false, false, M, N, K, A, B, viaGemm, false);
    activeWasmKernels()!.gemm(false, false, M, N, K, A, B, viaWasm, false);
    expect(Array.from(viaGemm)).toEqual(Array.from(viaWasm));
  });

  it("useBackend('ts') makes gemm bit-identical to gemmTS; float64 always uses TS", () => {
    const [M, N, K] = [20, 30, 40];
    const A = randomArray(M * K, 21);
    const B = randomArray(K * N, 22);
    const ts = new Float32Array(M * N);
    gemmTS(true, false, M, N, K, A, B, ts, false);
    useBackend('ts');
    expect(getBackend()).toBe('ts');
    expect(activeWasmKernels()).toBeNull();
    const got = new Float32Array(M * N);
    gemm(true, false, M, N, K, A, B, got, false);
    expect(Array.from(got)).toEqual(Array.from(ts));
    useBackend('wasm');
    const A64 = Float64Array.from(A);
    const B64 = Float64Array.from(B);
    const ts64 = new Float64Array(M * N);
    const got64 = new Float64Array(M * N);
    gemmTS(true, false, M, N, K, A64, B64, ts64, false);
    gemm(true, false, M, N, K, A64, B64, got64, false);
    expect(Array.from(got64)).toEqual(Array.from(ts64));
  });

  it('rejects unknown backends', () => {
    expect(() => useBackend('gpu' as 'ts')).toThrow(ValueError);
  });
});

describe('generated wasm module', () => {
  it('is up to date with the .wat sources (run pnpm build:wasm after editing them)', async () => {
    const built = await buildAll();
    expect(built.length).toBeGreaterThan(0);
    for (const { path, source } of built) expect(readFileSync(path, 'utf8')).toBe(source);
  });
});

describe('mixed resident and staged operands', () => {
  it('takes any mix of JS arrays and heap buffers, and leaves resident operands in place', () => {
    const k = loadWasmKernelsSync();
    const [M, N, K] = [5, 11, 9];
    const A = randomArray(M * K, 31);
    const B = randomArray(K * N, 32);
    const C0 = randomArray(M * N, 33);
    const ref = reference(false, true, M, N, K, A, B, C0);
    const bBuf = k.heap.alloc(K * N);
    bBuf.view().set(B);
    for (const residentA of [false, true])
      for (const residentC of [false, true]) {
        const aBuf = k.heap.alloc(M * K);
        aBuf.view().set(A);
        const cBuf = k.heap.alloc(M * N);
        cBuf.view().set(C0);
        const cArr = C0.slice();
        k.gemm(false, true, M, N, K, residentA ? aBuf : A, bBuf, residentC ? cBuf : cArr, true);
        expectCloseToExact(residentC ? cBuf.view() : cArr, ref, K);
        expect(Array.from(bBuf.view())).toEqual(Array.from(B));
        aBuf.free();
        cBuf.free();
      }
    expect(() => k.gemm(false, true, M, N, K, A, k.heap.alloc(3), new Float32Array(M * N), false)).toThrow(
      /B needs 99 elements/,
    );
  });
});

describe('pinMatrix', () => {
  it('gives exactly what gemm gives, for float32 (wasm, B staged once) and float64 (TS)', () => {
    const [M, N, K] = [7, 33, 20];
    const B = randomArray(N * K, 41);
    const pinned = pinMatrix(B);
    for (let step = 0; step < 3; step++) {
      const A = randomArray(M * K, 50 + step);
      const want = new Float32Array(M * N);
      const got = new Float32Array(M * N);
      gemm(false, true, M, N, K, A, B, want, false);
      pinned.gemm(false, true, M, N, K, A, got, false);
      expect(Array.from(got)).toEqual(Array.from(want));
      // the same data read as K'×N' = 33×20 without transposing packs a second layout
      const A2 = randomArray(3 * 33, 70 + step);
      const want2 = randomArray(3 * 20, 80 + step);
      const got2 = want2.slice();
      gemm(false, false, 3, 20, 33, A2, B, want2, true);
      pinned.gemm(false, false, 3, 20, 33, A2, got2, true);
      expect(Array.from(got2)).toEqual(Array.from(want2));
      // a single row takes the unpacked dot-product path, as in gemm
      const A1 = randomArray(K, 90 + step);
      const want1 = new Float32Array(N);
      const got1 = new Float32Array(N);
      gemm(false, true, 1, N, K, A1, B, want1, false);
      pinned.gemm(false, true, 1, N, K, A1, got1, false);
      expect(Array.from(got1)).toEqual(Array.from(want1));
    }
    pinned.free();
    expect(() => pinned.gemm(false, true, M, N, K, B, B, false)).toThrow(/after free/);
    const B64 = Float64Array.from(B);
    const A64 = Float64Array.from(randomArray(M * K, 60));
    const want64 = new Float64Array(M * N);
    const got64 = new Float64Array(M * N);
    gemmTS(false, true, M, N, K, A64, B64, want64, false);
    const p64 = pinMatrix(B64);
    p64.gemm(false, true, M, N, K, A64, got64, false);
    p64.free();
    expect(Array.from(got64)).toEqual(Array.from(want64));
  });
});

describe('prepacked B', () => {
  it('packB + gemmPrepacked match the exact product for all layouts and block-crossing sizes', () => {
    const k = loadWasmKernelsSync();
    for (const [M, N, K] of [
      [1, 9, 5],
      [6, 2053, 7],
      [37, 19, 300],
      [130, 8, 1],
    ] as [number, number, number][])
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const A = randomArray(M * K, M + N);
          const B = randomArray(K * N, N + K);
          const C0 = randomArray(M * N, K);
          const p = k.packB(tB, N, K, B);
          expect(p.buffer.length).toBe(Math.ceil(N / 8) * 8 * K);
          const C = C0.slice();
          k.gemmPrepacked(tA, M, N, K, A, p, C, true);
          expectCloseToExact(C, reference(tA, tB, M, N, K, A, B, C0), K);
          expect(() => k.gemmPrepacked(tA, M, N + 1, K, A, p, C, true)).toThrow(ShapeError);
          p.free();
        }
  });
});

describe('gemv16 (single-row products on 16-row interleaved weights)', () => {
  it('matches float64 within float32 rounding, with and without accumulate; N must be a multiple of 16', () => {
    const k = loadWasmKernelsSync();
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed / 2 ** 32) * 2 - 1;
    };
    for (const [N, K] of [
      [16, 1],
      [32, 7],
      [1024, 256],
      [48, 300],
    ] as const) {
      const W = Float32Array.from({ length: N * K }, rnd);
      const A = Float32Array.from({ length: K }, rnd);
      const C0 = Float32Array.from({ length: N }, rnd);
      const w16 = k.interleave16(W, N, K);
      const a = k.heap.alloc(K);
      const c = k.heap.alloc(N);
      a.view().set(A);
      for (const acc of [false, true]) {
        c.view().set(C0);
        k.gemv16(a, w16, c, N, K, acc);
        const got = c.view();
        for (let n = 0; n < N; n++) {
          let want = acc ? C0[n]! : 0;
          let bound = acc ? Math.abs(C0[n]!) : 0;
          for (let j = 0; j < K; j++) {
            want += A[j]! * W[n * K + j]!;
            bound += Math.abs(A[j]! * W[n * K + j]!);
          }
          expect(Math.abs(got[n]! - want)).toBeLessThanOrEqual((K + 2) * 2 ** -23 * bound);
        }
      }
      w16.free();
      a.free();
      c.free();
    }
    expect(() => k.interleave16(new Float32Array(24), 24, 1)).toThrow(/multiple of 16, got 24/);
  });

  it('interleave16 places every element (K a multiple of 4 or with a 1–3 column tail)', () => {
    const k = loadWasmKernelsSync();
    for (const [N, K] of [
      [16, 1],
      [32, 7],
      [48, 6],
      [64, 256],
      [32, 13],
    ] as const) {
      const W = Float32Array.from({ length: N * K }, (_, i) => i + 0.5);
      const w16 = k.interleave16(W, N, K);
      const d = w16.view();
      let wrong = 0;
      for (let n = 0; n < N; n++)
        for (let j = 0; j < K; j++) if (d[(n >> 4) * K * 16 + j * 16 + (n & 15)] !== W[n * K + j]) wrong++;
      expect(wrong, `${N}×${K}`).toBe(0);
      w16.free();
    }
  });

  it('interleave16 reads a resident source after its own allocation grew the memory', () => {
    const k = loadWasmKernelsSync();
    const N = 1024;
    const K = 256;
    const src = k.heap.alloc(N * K);
    const v = src.view();
    for (let i = 0; i < N * K; i++) v[i] = (i % 1000) - 500;
    const pages = k.heap.memory.buffer.byteLength;
    const w16 = k.interleave16(src, N, K); // needs another 1 MiB: the memory grows
    expect(k.heap.memory.buffer.byteLength).toBeGreaterThan(pages);
    const d = w16.view();
    for (const [n, j] of [
      [0, 0],
      [17, 3],
      [1023, 255],
      [500, 128],
    ] as const)
      expect(d[(n >> 4) * K * 16 + j * 16 + (n & 15)]).toBe(((n * K + j) % 1000) - 500);
  });
});
