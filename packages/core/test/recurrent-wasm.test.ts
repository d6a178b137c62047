import { describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';
import { randn } from '../src/tensor/creation.js';
import { Tensor } from '../src/tensor/tensor.js';
import '../src/ops/methods.js';
import { noGrad } from '../src/autograd/grad-mode.js';
import { LSTM } from '../src/nn/lstm.js';
import { useBackend } from '../src/kernels/backend.js';
import { inputProjection } from '../src/kernels/recurrent/input-projection.js';
import { lstmSequenceForward } from '../src/kernels/recurrent/lstm.js';
import { finalSlot, initialSlot, slotCount, type SequenceSpec } from '../src/kernels/recurrent/sequence.js';
import { lstmForwardWasm, lstmWasmKernels, residentLstmWeights } from '../src/kernels/recurrent/lstm-wasm.js';
import { pinMatrix } from '../src/kernels/wasm/resident-matrix.js';
import { residentSavedCount, setResidentSavedBudget } from '../src/kernels/recurrent/resident-saved.js';

function rand(n: number, seed: number, scale = 1): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: n }, () => (g.random() * 2 - 1) * scale);
}

/** Positions where a and b differ in any bit (NaN counts as equal to NaN). */
function bitDiffs(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) n++;
  return n;
}

/** Largest |a−b| / (1 + |b|). */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return w;
}

describe('wasm LSTM forward (resident buffers + SIMD gate kernel)', () => {
  useBackend('wasm');
  const cases: {
    name: string;
    T: number;
    B: number;
    H: number;
    lengths: number[] | null;
    reverse: boolean;
    save: boolean;
  }[] = [
    { name: 'batch 3, save', T: 5, B: 3, H: 32, lengths: null, reverse: false, save: true },
    { name: 'batch 3, reverse, lengths', T: 6, B: 3, H: 32, lengths: [6, 2, 4], reverse: true, save: true },
    { name: 'batch 1, inference (two slots)', T: 7, B: 1, H: 32, lengths: null, reverse: false, save: false },
    { name: 'forward, lengths, inference', T: 4, B: 2, H: 34, lengths: [1, 4], reverse: false, save: false },
  ];
  for (const c of cases) {
    it(`matches the TypeScript gate loop: ${c.name}`, () => {
      const k = lstmWasmKernels(c.H);
      expect(k).not.toBeNull();
      const { T, B, H } = c;
      const G = 4 * H;
      const I = 20;
      const x = rand(T * B * I, 1);
      // pre-activations up to ±8 exercise both branches of σ and the saturated tails of tanh
      const wIH = rand(G * I, 2, 0.8);
      const wHH = rand(G * H, 3, 0.5);
      const bIH = rand(G, 4);
      const bHH = rand(G, 5);
      const h0 = rand(B * H, 6);
      const c0 = rand(B * H, 7, 3);
      const spec: SequenceSpec = {
        T,
        B,
        H,
        reverse: c.reverse,
        lengths: c.lengths && Int32Array.from(c.lengths),
        save: c.save,
      };
      // reference: the TypeScript kernel
      const gates = new Float32Array(T * B * G);
      inputProjection({ mode: 'lstm', rows: T * B, inSize: I, H, x, wIH, bIH, bHH, out: gates });
      const slots = slotCount(spec);
      const hs = new Float32Array(slots * B * H);
      const cs = new Float32Array(slots * B * H);
      hs.set(h0, initialSlot(spec) * B * H);
      cs.set(c0, initialSlot(spec) * B * H);
      const tanhC = c.save ? new Float32Array(T * B * H) : null;
      const out = new Float32Array(T * B * 2 * H);
      const hh = pinMatrix(wHH);
      lstmSequenceForward({
        ...spec,
        out,
        stride: 2 * H,
        offset: H,
        gates,
        wHH,
        hh,
        hs,
        cs,
        tanhC,
        scratch: new Float32Array(B * G),
      });
      hh.free();
      // wasm
      const w = residentLstmWeights(k!, { H, inputSize: I, wIH, wHH, bIH, bHH });
      const out2 = new Float32Array(T * B * 2 * H);
      const hN = new Float32Array(B * H);
      const cN = new Float32Array(B * H);
      const r = lstmForwardWasm(k!, {
        ...spec,
        out: out2,
        stride: 2 * H,
        offset: H,
        x,
        weights: w,
        h0,
        c0,
        hN,
        cN,
        stateOffset: 0,
      });
      w.free();
      const fin = finalSlot(spec) * B * H;
      // the same float32 operations in the same order: equal to the last bit, except at batch 1, where the wasm
      // path's recurrent product is gemv16 (another summation order than the pinned GEMM the TS loop calls)
      if (B > 1) {
        expect(bitDiffs(out2, out)).toBe(0);
        expect(bitDiffs(hN, hs.subarray(fin, fin + B * H))).toBe(0);
        expect(bitDiffs(cN, cs.subarray(fin, fin + B * H))).toBe(0);
      } else {
        expect(worst(out2, out)).toBeLessThan(1e-6);
        expect(worst(hN, hs.subarray(fin, fin + B * H))).toBeLessThan(1e-6);
        expect(worst(cN, cs.subarray(fin, fin + B * H))).toBeLessThan(1e-6);
      }
      // the other half of each output row (offset 0..H) belongs to another direction and stays untouched
      for (let r = 0; r < T * B; r++) for (let j = 0; j < H; j++) expect(out2[r * 2 * H + j]).toBe(0);
      expect(r === null).toBe(!c.save);
      const sv = r?.arrays();
      if (sv) {
        // (saved only in training mode, where B > 1 here)
        expect(bitDiffs(sv.gates, gates)).toBe(0);
        expect(bitDiffs(sv.hs, hs)).toBe(0);
        expect(bitDiffs(sv.cs, cs)).toBe(0);
        expect(bitDiffs(sv.tanhC, tanhC!)).toBe(0);
      }
    });
  }

  it('gives float32-accurate activations for large, tiny and signed pre-activations (H = 10: a two-lane tail)', () => {
    const H = 10;
    const k = lstmWasmKernels(H)!;
    const G = 4 * H;
    const special = [
      0, -0, 1e-30, -1e-30, 1e-9, -3e-5, 7e-3, 0.3, -0.7, 5, -9, 20, -40, 88, -104, 1e30, -1e30, 0.0078, -0.0079, 2, -2,
      1, -1, 15, -15, 3e-4, -6e-3, 0.5, 0.25, -0.25, 11, -11, 0.62, -0.63, 60, -70, 1e-3, 4, -4, 0.1,
    ];
    const bias = Float32Array.from({ length: G }, (_, j) => special[j % special.length]!);
    const zero = { wIH: new Float32Array(G), wHH: new Float32Array(G * H) };
    const w = residentLstmWeights(k, { H, inputSize: 1, ...zero, bIH: bias, bHH: null });
    const out = new Float32Array(H);
    const c0 = Float32Array.from({ length: H }, (_, j) => special[(j + 5) % special.length]!);
    const cN = new Float32Array(H);
    const r = lstmForwardWasm(k, {
      T: 1,
      B: 1,
      H,
      reverse: false,
      lengths: null,
      save: true,
      out,
      stride: H,
      offset: 0,
      x: new Float32Array(1),
      weights: w,
      h0: null,
      c0,
      hN: new Float32Array(H),
      cN,
      stateOffset: 0,
    })!.arrays();
    w.free();
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    // within `ulps` float32 ulps of want (plus 5e-38 absolute: exp below −86 is 0), `scale` bounding the terms summed
    const near = (got: number, want: number, ulps: number, scale = Math.abs(want)): void =>
      expect(Math.abs(got - want)).toBeLessThanOrEqual(ulps * scale * 2 ** -23 + 5e-38);
    for (let j = 0; j < H; j++) {
      const [i, f, g, o] = [0, 1, 2, 3].map((q) => bias[q * H + j]!);
      near(r.gates![j]!, sig(i!), 2.5);
      near(r.gates![H + j]!, sig(f!), 2.5);
      near(r.gates![2 * H + j]!, Math.tanh(g!), 1.5);
      near(r.gates![3 * H + j]!, sig(o!), 2.5);
      const fc = sig(f!) * c0[j]!;
      const ig = sig(i!) * Math.tanh(g!);
      near(cN[j]!, fc + ig, 4, Math.abs(fc) + Math.abs(ig));
      near(r.tanhC![j]!, Math.tanh(cN[j]!), 1.5);
      near(out[j]!, sig(o!) * Math.tanh(cN[j]!), 4);
    }
  });
});

describe('wasm gate kernel: non-finite inputs', () => {
  it('propagates NaN pre-activations and saturates ±Infinity like the TS kernel', () => {
    const H = 4;
    const k = lstmWasmKernels(H)!;
    const G = 4 * H;
    // gate i: NaN, +Inf, -Inf, 0 ; other gates finite
    const bias = Float32Array.from({ length: G }, (_, j) => (j < H ? [NaN, Infinity, -Infinity, 0][j]! : 0.5));
    const zero = { wIH: new Float32Array(G), wHH: new Float32Array(G * H) };
    const w = residentLstmWeights(k, { H, inputSize: 1, ...zero, bIH: bias, bHH: null });
    const r = lstmForwardWasm(k, {
      T: 1,
      B: 1,
      H,
      reverse: false,
      lengths: null,
      save: true,
      out: new Float32Array(H),
      stride: H,
      offset: 0,
      x: new Float32Array(1),
      weights: w,
      h0: null,
      c0: null,
      hN: new Float32Array(H),
      cN: new Float32Array(H),
      stateOffset: 0,
    })!.arrays();
    w.free();
    expect(Number.isNaN(r.gates[0]!)).toBe(true);
    expect(r.gates[1]).toBe(1);
    expect(r.gates[2]).toBe(0);
    expect(r.gates[3]).toBe(0.5);
    expect(Number.isNaN(r.cs[r.cs.length - H]!)).toBe(true);
  });
});

describe('float32 LSTM layer on the wasm path against float64', () => {
  it('outputs, states and gradients agree (2 layers, bidirectional, lengths, batch-first)', () => {
    useBackend('wasm');
    const opts = { inputSize: 6, hiddenSize: 12, numLayers: 2, bidirectional: true, batchFirst: true };
    const m32 = new LSTM({ ...opts, generator: new Generator(3) });
    const m64 = new LSTM({ ...opts, dtype: 'float64', generator: new Generator(3) });
    const x64 = randn([3, 5, 6], { dtype: 'float64', generator: new Generator(4) });
    const x32 = new Tensor(Float32Array.from(x64.data), x64.shape, { requiresGrad: true });
    x64.requiresGrad = true;
    const lengths = [5, 2, 4];
    const o32 = m32.forward(x32, { lengths });
    const o64 = m64.forward(x64, { lengths });
    expect(worst(o32.output.data, o64.output.data)).toBeLessThan(1e-5);
    expect(worst(o32.state.c!.data, o64.state.c!.data)).toBeLessThan(1e-5);
    const wOut = randn(o64.output.shape as number[], { dtype: 'float64', generator: new Generator(5) });
    o32.output
      .mul(new Tensor(Float32Array.from(wOut.data), wOut.shape))
      .sum()
      .add(o32.state.c!.sum())
      .backward();
    o64.output.mul(wOut).sum().add(o64.state.c!.sum()).backward();
    expect(worst(x32.grad!.data, x64.grad!.data)).toBeLessThan(1e-4);
    const p64 = m64.parameters();
    m32.parameters().forEach((p, i) => {
      expect(worst(p.grad!.data, p64[i]!.grad!.data)).toBeLessThan(1e-4);
    });
  });
});

describe('LSTM.pinWeights (resident weights for step-by-step inference)', () => {
  const step = (m: LSTM, x: Tensor, state?: { h: Tensor; c?: Tensor }) => noGrad(() => m.forward(x, { state }));

  it('gives the same outputs as unpinned forwards and never misses a training update', () => {
    useBackend('wasm');
    const m = new LSTM({ inputSize: 5, hiddenSize: 8, generator: new Generator(9) });
    const x = randn([1, 1, 5], { generator: new Generator(10) });
    const free = step(m, x);
    const pin = m.pinWeights();
    const pinned = step(m, x);
    expect(Array.from(pinned.output.data)).toEqual(Array.from(free.output.data));
    // carried state over several steps
    let s1 = step(m, x).state;
    let s2 = s1;
    pin.release();
    const again = m.pinWeights();
    for (let i = 0; i < 3; i++) s1 = step(m, x, s1).state;
    again.release();
    for (let i = 0; i < 3; i++) s2 = step(m, x, s2).state;
    expect(Array.from(s1.h.data)).toEqual(Array.from(s2.h.data));

    // a training step while pinned: forward with gradients, SGD-like in-place update, then inference again
    const p2 = m.pinWeights();
    step(m, x);
    const y = m.forward(x).output.sum();
    y.backward();
    for (const p of m.parameters()) for (let i = 0; i < p.data.length; i++) p.data[i]! -= 0.1 * p.grad!.data[i]!;
    const afterTrain = step(m, x).output.data.slice();
    p2.release();
    expect(Array.from(afterTrain)).toEqual(Array.from(step(m, x).output.data));
    expect(Array.from(afterTrain)).not.toEqual(Array.from(free.output.data));
  });

  it('notices in-place weight changes without a recorded forward (sampled check) and on refresh()', () => {
    useBackend('wasm');
    const m = new LSTM({ inputSize: 4, hiddenSize: 6, generator: new Generator(11) });
    const x = randn([1, 1, 4], { generator: new Generator(12) });
    const pin = m.pinWeights();
    const before = step(m, x).output.data.slice();
    // like an optimizer step: every weight moves
    for (const p of m.parameters()) for (let i = 0; i < p.data.length; i++) p.data[i]! *= 0.5;
    const after = step(m, x).output.data.slice();
    expect(Array.from(after)).not.toEqual(Array.from(before));
    // an edit to a single entry the sample may miss is picked up after refresh()
    const w = m.parameters()[1]!;
    w.data[1]! += 3;
    pin.refresh();
    const edited = step(m, x).output.data.slice();
    pin.release();
    expect(Array.from(edited)).toEqual(Array.from(step(m, x).output.data));
    expect(() => pin.refresh()).toThrow(/released/);
  });
});

describe('float32 LSTM: wasm backend against the TypeScript backend', () => {
  for (const lengths of [undefined, [7, 3, 5, 1]]) {
    it(`same outputs and gradients up to GEMM rounding (bidirectional${lengths ? ', lengths' : ''})`, () => {
      const run = (backend: 'ts' | 'wasm') => {
        useBackend(backend);
        try {
          const m = new LSTM({ inputSize: 9, hiddenSize: 20, bidirectional: true, generator: new Generator(21) });
          const x = randn([7, 4, 9], { generator: new Generator(22) });
          x.requiresGrad = true;
          const h = randn([2, 4, 20], { generator: new Generator(23) });
          const c = randn([2, 4, 20], { generator: new Generator(24) });
          h.requiresGrad = true;
          c.requiresGrad = true;
          const o = m.forward(x, { state: { h, c }, lengths });
          const w = randn(o.output.shape as number[], { generator: new Generator(25) });
          o.output.mul(w).sum().add(o.state.h.sum()).add(o.state.c!.mul(o.state.c!).sum()).backward();
          return [
            o.output,
            o.state.h,
            o.state.c!,
            x.grad!,
            h.grad!,
            c.grad!,
            ...m.parameters().map((p) => p.grad!),
          ].map((t) => t.data);
        } finally {
          useBackend('wasm');
        }
      };
      const ts = run('ts');
      const wasm = run('wasm');
      ts.forEach((t, i) => {
        expect(worst(wasm[i]!, t)).toBeLessThan(2e-6);
      });
    });
  }
});

describe('resident saved buffers (LSTM forward → backward in wasm memory)', () => {
  const make = () => new LSTM({ inputSize: 5, hiddenSize: 10, bidirectional: true, generator: new Generator(31) });
  const input = () => {
    const x = randn([6, 3, 5], { generator: new Generator(32) });
    x.requiresGrad = true;
    return x;
  };
  const gradsOf = (m: LSTM, x: Tensor) =>
    [x.grad!, ...m.parameters().map((p) => p.grad!)].map((t) => Array.from(t.data));
  const loss = (m: LSTM, x: Tensor) => {
    const o = m.forward(x, { lengths: [6, 4, 2] });
    return o.output.mul(o.output).sum().add(o.state.c!.sum());
  };

  it('backward twice with retainGraph, and interleaved graphs, give the same gradients as one clean backward', () => {
    useBackend('wasm');
    const ref = make();
    const xr = input();
    loss(ref, xr).backward();
    const once = gradsOf(ref, xr);

    const m = make();
    const x = input();
    const l = loss(m, x);
    l.backward(undefined, { retainGraph: true });
    l.backward();
    gradsOf(m, x).forEach((g, i) => {
      g.forEach((v, j) => {
        expect(v).toBeCloseTo(2 * once[i]![j]!, 5);
      });
    });

    // two live graphs of the same layer, backward in reverse order
    const m2 = make();
    const x1 = input();
    const x2 = input();
    const l1 = loss(m2, x1);
    const l2 = loss(m2, x2);
    l2.backward();
    l1.backward();
    expect(gradsOf(m2, x1)[0]).toEqual(once[0]);
    gradsOf(m2, x2)
      .slice(1)
      .forEach((g, i) => {
        g.forEach((v, j) => {
          expect(v).toBeCloseTo(2 * once[i + 1]![j]!, 5);
        });
      });
  });

  it('copies live graphs out when over budget and frees finished ones without a copy', () => {
    useBackend('wasm');
    const m = make();
    const ref = make();
    const xr = input();
    loss(ref, xr).backward();
    const once = gradsOf(ref, xr);
    const old = setResidentSavedBudget(1); // every new arena evicts all others
    try {
      const x1 = input();
      const l1 = loss(m, x1); // two arenas (both directions); the second evicts the first (copied out: still alive)
      expect(residentSavedCount()).toBe(1);
      l1.backward(); // one direction from its arena, the other from the copied-out arrays
      expect(gradsOf(m, x1)[0]).toEqual(once[0]);
    } finally {
      setResidentSavedBudget(old);
    }
    // finished graphs are reclaimed at the next forward
    const m3 = make();
    const x3 = input();
    loss(m3, x3).backward();
    loss(m3, input());
    expect(residentSavedCount()).toBe(2);
  });
});
