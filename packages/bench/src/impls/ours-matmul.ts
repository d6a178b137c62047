// @recurrent/core GEMM for W4: through gemm() (JS arrays staged through wasm memory), with operands resident in wasm
// memory (what a fused kernel does), with B pinned and packed once (pinMatrix: what a layer does with its weight over
// a sequence), and the portable TypeScript kernel for reference. The kernel layer is `@recurrent/core/internal`.
import { activeWasmKernels, gemm, gemmTS, pinMatrix } from '@recurrent/core/internal';
import { W4_SHAPES, type Runner, type W4Id } from '../types.js';
import { Rng } from '../data.js';

export type OursGemmMode = 'staged' | 'resident' | 'pinned' | 'ts';

export async function w4Ours(mode: OursGemmMode, id: W4Id): Promise<Runner> {
  const { M, K, N } = W4_SHAPES[id];
  const rng = new Rng(5);
  const A = Float32Array.from({ length: M * K }, () => rng.next() * 2 - 1);
  const B = Float32Array.from({ length: K * N }, () => rng.next() * 2 - 1);
  const C = new Float32Array(M * N);
  const flop = 2 * M * N * K;
  const reps = Math.max(1, Math.round(2e9 / flop / (mode === 'ts' ? 20 : 1)));
  let once: () => void;
  if (mode === 'resident') {
    const wasm = activeWasmKernels();
    if (!wasm) throw new Error('wasm backend not available');
    const a = wasm.heap.alloc(M * K);
    const b = wasm.heap.alloc(K * N);
    const c = wasm.heap.alloc(M * N);
    a.view().set(A);
    b.view().set(B);
    once = () => wasm.gemmResident(false, false, M, N, K, a, b, c, false);
  } else if (mode === 'pinned') {
    // B packed once and kept (pinMatrix), as XNNPACK caches the packed weights of a tensor; A and C staged per call
    const pinned = pinMatrix(B);
    once = () => pinned.gemm(false, false, M, N, K, A, C, false);
  } else if (mode === 'staged') {
    once = () => gemm(false, false, M, N, K, A, B, C, false);
  } else {
    once = () => gemmTS(false, false, M, N, K, A, B, C, false);
  }
  return {
    run() {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) once();
      return (flop * reps) / ((performance.now() - t0) / 1000) / 1e9;
    },
  };
}
