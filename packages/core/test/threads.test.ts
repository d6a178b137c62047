// initWasmThreads: large products split across worker threads on one shared wasm memory give exactly the numbers
// of one thread, and the recurrent kernels run unchanged on that memory. (Each vitest file has its own module
// state, so the threaded backend set up here stays in this file.)
import { beforeAll, describe, expect, it } from 'vitest';
import { activeWasmKernels } from '../src/kernels/backend.js';
import { loadWasmKernelsSync } from '../src/kernels/wasm/loader.js';
import { splitRange } from '../src/kernels/wasm/parallel.js';
import { activeGateKernels, gateKernelsFor, type GateKernels } from '../src/kernels/wasm/gate-kernels.js';
import { lstmForwardWasm, residentLstmWeights } from '../src/kernels/recurrent/lstm-wasm.js';
import { lstmBackwardWasm } from '../src/kernels/recurrent/lstm-wasm-backward.js';
import { initWasmThreads } from '../src/node.js';
import { LSTM, Tensor, Generator, noGrad } from '../src/index.js';

function random(n: number, g: Generator): Float32Array {
  return Float32Array.from({ length: n }, () => g.random() * 2 - 1);
}

describe('initWasmThreads', () => {
  let threads = 0;
  beforeAll(async () => {
    threads = await initWasmThreads({ threads: 2 });
  });

  it('runs on two threads and refuses a different count once started', async () => {
    expect(threads).toBe(2);
    expect(activeWasmKernels()!.threads).toBe(2);
    expect(activeWasmKernels()!.heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    await expect(initWasmThreads({ threads: 2 })).resolves.toBe(2);
    await expect(initWasmThreads({ threads: 3 })).rejects.toThrow(
      /already run on 2 thread\(s\); call initWasmThreads\(\) first/,
    );
    await expect(initWasmThreads({ threads: 0 })).rejects.toThrow(/threads must be an integer in 1\.\.64, got 0/);
  });

  it('split products equal one thread bit for bit: row ranges, transposed A, accumulate, prepacked B', () => {
    const threaded = activeWasmKernels()!;
    const single = loadWasmKernelsSync();
    expect(single.threads).toBe(1);
    const g = new Generator(3);
    const shapes: [number, number, number, boolean, boolean, boolean][] = [
      [256, 512, 96, false, false, false],
      [33, 1024, 64, false, true, false],
      [300, 1024, 64, false, true, false],
      [200, 130, 257, true, false, true],
      [64, 77, 300, true, true, false],
      [1, 1024, 256, false, true, false],
      [1, 2000, 96, false, true, true],
    ];
    const split0 = threaded.splitProducts;
    for (const [M, N, K, tA, tB, acc] of shapes) {
      const A = random(M * K, g);
      const B = random(K * N, g);
      const C0 = random(M * N, g);
      const want = C0.slice();
      const got = C0.slice();
      single.gemm(tA, tB, M, N, K, A, B, want, acc);
      threaded.gemm(tA, tB, M, N, K, A, B, got, acc);
      expect(new Uint32Array(got.buffer), `${M}×${N}×${K} tA=${tA} tB=${tB} acc=${acc}`).toEqual(
        new Uint32Array(want.buffer),
      );
    }
    // the four of ≥ 2²¹ multiply-adds with ≥ 32 rows (B unpacked: every thread packs it); the others ran whole
    expect(threaded.splitProducts - split0).toBe(4);
    const A = random(32 * 256, g);
    const W = random(1024 * 256, g);
    const pw = single.packB(true, 1024, 256, W);
    const pt = threaded.packB(true, 1024, 256, W);
    const want = new Float32Array(32 * 1024);
    const got = new Float32Array(32 * 1024);
    single.gemmPrepacked(false, 32, 1024, 256, A, pw, want, false);
    threaded.gemmPrepacked(false, 32, 1024, 256, A, pt, got, false);
    expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(want.buffer));
    expect(threaded.splitProducts - split0).toBe(5); // prepacked B: split from 8 rows
    pw.free();
    pt.free();
  });

  it('gemv16 split by 16-row groups equals one thread bit for bit (even and odd group counts, accumulate)', () => {
    const threaded = activeWasmKernels()!;
    const single = loadWasmKernelsSync();
    const g = new Generator(9);
    for (const [N, K, acc] of [
      [1024, 256, false],
      [1040, 200, true],
      [32, 64, false],
    ] as [number, number, boolean][]) {
      const A = random(K, g);
      const W = random(N * K, g);
      const C0 = random(N, g);
      const run = (k: typeof single): Float32Array => {
        const w16 = k.interleave16(W, N, K);
        const a = k.heap.alloc(K);
        a.view().set(A);
        const c = k.heap.alloc(N);
        c.view().set(C0);
        k.gemv16(a, w16, c, N, K, acc);
        const out = c.view().slice();
        for (const b of [w16, a, c]) b.free();
        return out;
      };
      const split0 = threaded.splitProducts;
      const got = run(threaded);
      // 32×64 is below the split threshold and runs whole
      expect(threaded.splitProducts - split0).toBe(N * K >= 1 << 17 ? 1 : 0);
      expect(new Uint32Array(got.buffer), `${N}×${K} acc=${acc}`).toEqual(new Uint32Array(run(single).buffer));
    }
  });

  it('LSTM step loops split by batch rows give the bits of one thread (forward, reverse, backward)', () => {
    const single = gateKernelsFor(loadWasmKernelsSync())!;
    const threaded = activeGateKernels()!;
    const g = new Generator(21);
    const [T, B, H, I] = [6, 12, 256, 40];
    const G = 4 * H;
    const x = random(T * B * I, g);
    const wIH = random(G * I, g).map((v) => v * 0.2);
    const wHH = random(G * H, g).map((v) => v * 0.1);
    const bIH = random(G, g);
    const bHH = random(G, g);
    const h0 = random(B * H, g);
    const c0 = random(B * H, g);
    const dOut = random(T * B * H, g);
    const run = (k: GateKernels, reverse: boolean) => {
      const w = residentLstmWeights(k, { H, inputSize: I, wIH, wHH, bIH, bHH });
      const out = new Float32Array(T * B * H);
      const hN = new Float32Array(B * H);
      const cN = new Float32Array(B * H);
      const spec = { T, B, H, reverse, lengths: null, save: true };
      const saved = lstmForwardWasm(k, {
        ...spec,
        out,
        stride: H,
        offset: 0,
        x,
        weights: w,
        h0,
        c0,
        hN,
        cN,
        stateOffset: 0,
      })!;
      const dh = Float64Array.from(h0, (v) => v * 0.5);
      const dc = Float64Array.from(c0, (v) => v * 0.25);
      const dInput = new Float64Array(T * B * I);
      const grads = lstmBackwardWasm(k, {
        ...spec,
        saved,
        dOut,
        stride: H,
        offset: 0,
        dh,
        dc,
        x,
        inputSize: I,
        wIH,
        wHH,
        dInput,
      });
      saved.reclaim();
      w.free();
      return { out, hN, cN, dh, dc, dInput, ...grads };
    };
    const bits = (a: Float32Array | Float64Array): number[] =>
      Array.from(new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4));
    for (const reverse of [false, true]) {
      const split0 = threaded.gemm.splitProducts;
      const a = run(threaded, reverse);
      // two split loops (forward, backward) and at most four whole-sequence products (input projection, dW_hh,
      // dW_ih, ∂L/∂x); a hand-off per step would make at least 2T
      expect(threaded.gemm.splitProducts - split0).toBeLessThanOrEqual(6);
      const b = run(single, reverse);
      for (const key of ['out', 'hN', 'cN', 'dh', 'dc', 'dInput', 'dWIH', 'dWHH', 'dBias'] as const) {
        expect(bits(a[key]), `${key} reverse=${reverse}`).toEqual(bits(b[key]));
      }
    }
  });

  it('an LSTM forward and backward on the shared memory matches float64', () => {
    const g = new Generator(5);
    const lstm = new LSTM({ inputSize: 24, hiddenSize: 64, batchFirst: true, generator: g });
    const ref = new LSTM({ inputSize: 24, hiddenSize: 64, batchFirst: true, dtype: 'float64' });
    ref.loadStateDict(
      Object.fromEntries(
        Object.entries(lstm.stateDict()).map(([k, t]) => [k, new Tensor(Float64Array.from(t.data), t.shape)]),
      ),
    );
    const x = random(16 * 20 * 24, g);
    const run = (m: LSTM, data: Float32Array | Float64Array) => {
      const input = new Tensor(data, [16, 20, 24], { requiresGrad: true });
      const { output } = m.forward(input);
      output.sum().backward();
      return { out: Array.from(output.data), dx: Array.from(input.grad!.data) };
    };
    const a = run(lstm, x);
    const b = run(ref, Float64Array.from(x));
    const close = (p: number[], q: number[]) =>
      p.forEach((v, i) => {
        expect(Math.abs(v - q[i]!)).toBeLessThan(2e-5 * (1 + Math.abs(q[i]!)));
      });
    close(a.out, b.out);
    close(a.dx, b.dx);
    noGrad(() => expect(lstm.forward(new Tensor(x, [16, 20, 24])).output.shape).toEqual([16, 20, 64]));
  });

  it('splitRange cuts at aligned inner bounds and covers every index once', () => {
    expect(splitRange(32, 2, 4)).toEqual([
      [0, 16],
      [16, 32],
    ]);
    expect(splitRange(9, 2, 4)).toEqual([
      [0, 4],
      [4, 9],
    ]);
    expect(splitRange(3, 2, 4)).toEqual([[0, 3]]);
    expect(splitRange(1024, 3, 4)).toEqual([
      [0, 340],
      [340, 684],
      [684, 1024],
    ]);
  });
});
