import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions } from '../src/ops/conv.js';
import { ResidentConvSession } from '../src/ops/conv-session.js';
import { add, mul } from '../src/ops/arithmetic.js';
import { getBackend, initWasm, useBackend } from '../src/kernels/backend.js';
import { randn } from '../src/tensor/creation.js';
import { Generator } from '../src/random.js';
import { ShapeError, ValueError } from '../src/errors.js';

// ResidentConvSession runs MobileNet's layers on activations kept in wasm memory; every result must be conv2d's on
// the wasm backend bit for bit (same kernels, same order), for every layer kind it accepts.

/** [input shape, weight shape, options]: pointwise, im2col (stem-like, 'same' at stride 2), depthwise 3×3. */
const LAYERS: [number[], number[], Conv2dOptions][] = [
  [[1, 24, 9, 11], [40, 24, 1, 1], { activation: 'relu6' }],
  [[2, 16, 7, 6], [8, 16, 1, 1], {}],
  [[1, 3, 21, 20], [8, 3, 3, 3], { stride: 2, padding: 'same', activation: 'relu6' }],
  [[1, 8, 6, 7], [16, 8, 3, 3], { stride: 2, padding: 1, activation: 'relu' }],
  // the wasm im2col: dilation, unequal strides and kernel sides, taps entirely in the padding
  [[1, 4, 9, 11], [8, 4, 3, 2], { stride: [1, 2], padding: [2, 1], dilation: 2 }],
  [[1, 6, 2, 2], [24, 6, 3, 3], { padding: 2 }],
  [[1, 12, 10, 9], [12, 1, 3, 3], { padding: 'same', groups: 12, activation: 'relu6' }],
  [[2, 6, 11, 10], [6, 1, 3, 3], { stride: 2, padding: 'same', groups: 6 }],
  [[1, 5, 8, 8], [5, 1, 3, 3], { stride: 2, padding: 1, groups: 5, activation: 'relu' }],
  // few pixels (≤ 128): computed transposed against the weight packed once
  [[1, 40, 10, 10], [48, 40, 1, 1], { activation: 'relu6' }],
  [[1, 36, 11, 9], [26, 36, 1, 1], {}], // 99 pixels, 26 channels: ragged 4×4 blocks both ways
  [[2, 64, 2, 2], [36, 64, 1, 1], {}],
  [[1, 256, 1, 1], [24, 256, 1, 1], { activation: 'relu' }],
  [[1, 300, 1, 1], [20, 300, 1, 1], {}],
  [[1, 40, 5, 5], [30, 40, 1, 1], { activation: 'relu6' }], // ragged 4×4 blocks: 25 pixels, 30 channels
  [[1, 24, 5, 5], [40, 24, 3, 3], { stride: 2, padding: 'same', activation: 'relu6' }],
  [[1, 16, 3, 3], [24, 16, 3, 3], { stride: 2, padding: 'same' }],
];

/** The wasm backend made active, and a session on it (which must open there). */
async function openWasmSession(): Promise<ResidentConvSession> {
  await initWasm();
  useBackend('wasm');
  const session = ResidentConvSession.open();
  if (!session) throw new Error('the wasm backend is active: a session must open');
  return session;
}

describe('ResidentConvSession (activations resident in wasm memory)', () => {
  const initial = getBackend();
  afterEach(() => useBackend(initial));

  it("gives conv2d's wasm results bit for bit, with and without bias, and reuses its copy of the weights", async () => {
    const session = await openWasmSession();
    const g = new Generator(41);
    for (const [xs, ws, options] of LAYERS) {
      for (const withBias of [true, false]) {
        // scaled so relu6 clamps at both ends
        const x = mul(randn(xs, { generator: g }), 3);
        const w = randn(ws, { generator: g });
        const b = withBias ? randn([ws[0]!], { generator: g }) : null;
        const want = conv2d(x, w, b, options);
        const where = `${JSON.stringify([xs, ws, options])} bias ${withBias}`;
        for (let round = 0; round < 2; round++) {
          const rx = session.upload(x);
          const ry = session.conv2d(rx, w, b, options);
          if (!ry) throw new Error(`${where}: the session runs this layer`);
          const got = session.download(ry);
          expect(got.shape, where).toEqual(want.shape);
          expect(Array.from(got.data), `${where} round ${round}`).toEqual(Array.from(want.data));
          session.release(rx);
          session.release(ry);
        }
      }
    }
    session.free();
  });

  it('adds resident activations as add does, and chains layers without copies', async () => {
    const session = await openWasmSession();
    const g = new Generator(42);
    const x = randn([1, 16, 12, 12], { generator: g });
    const expand = randn([48, 16, 1, 1], { generator: g });
    const dw = randn([48, 1, 3, 3], { generator: g });
    const project = randn([16, 48, 1, 1], { generator: g });
    const bias = randn([48], { generator: g });
    const h1 = conv2d(x, expand, bias, { activation: 'relu6' });
    const h2 = conv2d(h1, dw, bias, { padding: 'same', groups: 48, activation: 'relu6' });
    const want = add(conv2d(h2, project, null), x);
    const rx = session.upload(x);
    const r1 = session.conv2d(rx, expand, bias, { activation: 'relu6' });
    const r2 = r1 && session.conv2d(r1, dw, bias, { padding: 'same', groups: 48, activation: 'relu6' });
    const r3 = r2 && session.conv2d(r2, project, null);
    if (!r3) throw new Error('the session runs every layer of this block');
    const got = session.download(session.add(r3, rx));
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    expect(() => session.add(r3, r1)).toThrow(ShapeError);
    // 105 values: the kernel's four-wide loop and its scalar tail
    const p = randn([1, 3, 5, 7], { generator: g });
    const q = randn([1, 3, 5, 7], { generator: g });
    expect(Array.from(session.download(session.add(session.upload(p), session.upload(q))).data)).toEqual(
      Array.from(add(p, q).data),
    );
    session.free();
  });

  it('declines layers it does not run (null) and refuses misuse with typed errors', async () => {
    const session = await openWasmSession();
    const g = new Generator(43);
    const x = session.upload(randn([1, 4, 8, 8], { generator: g }));
    expect(session.conv2d(x, randn([4, 1, 5, 5], { generator: g }), null, { groups: 4 })).toBeNull();
    expect(session.conv2d(x, randn([6, 2, 3, 3], { generator: g }), null, { groups: 2 })).toBeNull();
    expect(session.conv2d(x, randn([4, 4, 1, 1], { dtype: 'float64', generator: g }), null)).toBeNull();
    expect(session.conv2d(x, randn([4, 4, 1, 1], { generator: g }), null)).toBeNull(); // 1,024 multiply-adds
    const trainable = randn([64, 4, 1, 1], { generator: g }).requiresGrad_();
    expect(() => session.conv2d(x, trainable, null)).toThrow(/requires grad/);
    const out = { out: randn([1, 4, 8, 8]) } as Conv2dOptions;
    expect(() => session.conv2d(x, randn([4, 4, 1, 1]), null, out)).toThrow(ValueError);
    expect(() => session.upload(randn([4, 8, 8]))).toThrow(ShapeError);
    session.release(x);
    expect(() => session.download(x)).toThrow(/not a live activation/);
    session.free();
    expect(() => session.upload(randn([1, 1, 2, 2]))).toThrow(/after free/);
  });

  it('does not open off the wasm backend', () => {
    useBackend('ts');
    expect(ResidentConvSession.open()).toBeNull();
  });
});
