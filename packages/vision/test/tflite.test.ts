import { describe, expect, it } from 'vitest';
import { FormatError, Generator, noGrad, randn } from '@recurrent/core';
import {
  float16BytesToFloat32,
  float16ToNumber,
  readPackedFileTable,
  readTflite,
  TfliteGraph,
  unpackObjectronDetector,
  type TfliteTensor,
} from '../src/index.js';
import { loadObjectronDetectorAssets } from '../src/node.js';

const assets = loadObjectronDetectorAssets();

describe('float16', () => {
  it('decodes normal, subnormal, extreme and special values', () => {
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0xc000)).toBe(-2);
    expect(float16ToNumber(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(float16ToNumber(0x7bff)).toBe(65504);
    expect(float16ToNumber(0x0001)).toBe(2 ** -24);
    expect(float16ToNumber(0x0400)).toBe(2 ** -14);
    expect(float16ToNumber(0x8000)).toBe(-0);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(float16ToNumber(0xfc00)).toBe(-Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
    expect(Array.from(float16BytesToFloat32(new Uint8Array([0x00, 0x3c, 0x00, 0xc0])))).toEqual([1, -2]);
  });
});

describe('readTflite', () => {
  it('reads the Objectron SSD-MobileNetV2: one subgraph, 241 operators of six kinds, 1917 anchors × 24 classes', () => {
    const model = readTflite(assets.tflite, assets.source);
    const g = model.subgraphs[0]!;
    const counts: Record<string, number> = {};
    for (const op of g.operators) counts[op.opcode] = (counts[op.opcode] ?? 0) + 1;
    expect(counts).toEqual({
      DEQUANTIZE: 144,
      CONV_2D: 55,
      DEPTHWISE_CONV_2D: 17,
      ADD: 10,
      RESHAPE: 13,
      CONCATENATION: 2,
    });
    expect(g.inputs.map((i) => g.tensors[i]!.shape)).toEqual([[1, 300, 300, 3]]);
    expect(g.outputs.map((i) => [g.tensors[i]!.name, g.tensors[i]!.shape])).toEqual([
      ['raw_outputs/box_encodings', [1, 1917, 4]],
      ['raw_outputs/class_predictions', [1, 1917, 24]],
    ]);
    const dw = g.operators.find((op) => op.opcode === 'DEPTHWISE_CONV_2D')!;
    expect(dw.options).toMatchObject({ kind: 'depthwise', padding: 'SAME', depthMultiplier: 1, activation: 'RELU6' });
    expect(assets.labels).toHaveLength(24);
    expect(assets.labels.slice(0, 5)).toEqual(['???', 'Bicycle', 'Boot', 'Laptop', 'Person']);
  });

  it('refuses non-TFLite, truncated and corrupted flatbuffers with a FormatError naming the source', () => {
    expect(() => readTflite(new TextEncoder().encode('hello world, not a model'), 'x.tflite')).toThrow(
      /x\.tflite: not a TFLite flatbuffer/,
    );
    expect(() => readTflite(new Uint8Array(3), 'tiny.tflite')).toThrow(FormatError);
    const bytes = assets.tflite;
    for (const length of [8, 64, 1000, 100_000, bytes.length >> 1, bytes.length - 100]) {
      const cut = bytes.slice(0, length);
      expect(() => readTflite(cut, 'cut.tflite'), `length ${length}`).toThrow(FormatError);
    }
    // Scramble the root offset, a vtable and the start of the table region: parse or FormatError, never a crash.
    const g = new Generator(1);
    for (let trial = 0; trial < 30; trial++) {
      const bad = bytes.slice();
      const at = Math.floor(g.random() * 4096);
      bad[at] = (bad[at]! + 1 + Math.floor(g.random() * 254)) & 0xff;
      if (at >= 4 && at < 8) continue; // the identifier: covered above
      try {
        readTflite(bad, 'flipped.tflite');
      } catch (e) {
        expect(e, `byte ${at}`).toBeInstanceOf(FormatError);
      }
    }
  });

  it('reads the packed-asset table and refuses a malformed one', () => {
    expect(readPackedFileTable('loadPackage({"files": [{"filename": "/a", "start": 0, "end": 4}]});', 'l.js')).toEqual([
      { filename: '/a', start: 0, end: 4 },
    ]);
    expect(() => readPackedFileTable('nothing here', 'l.js')).toThrow(/l\.js: no loadPackage/);
    // A packed file cut short: the detector's span runs past the end.
    const loader =
      'loadPackage({"files": [{"filename": "/object_detection_oidv4_labelmap.txt", "start": 0, "end": 4}, ' +
      '{"filename": "/x/object_detection_ssd_mobilenetv2_oidv4_fp16.tflite", "start": 4, "end": 100}]});';
    const where = { data: 'assets.data', loader: 'loader.js', version: '0' };
    expect(() => unpackObjectronDetector(new Uint8Array(50), loader, where)).toThrow(
      /assets\.data: .* spans bytes 4–100, the file has 50/,
    );
    const ok = unpackObjectronDetector(new TextEncoder().encode(`a\nb\n${'x'.repeat(96)}`), loader, where);
    expect([ok.labels, ok.tflite.length]).toEqual([['a', 'b'], 96]);
    expect(() =>
      readPackedFileTable('loadPackage({"files": [{"filename": "/a", "start": 9, "end": 4}]});', 'l.js'),
    ).toThrow(/file entry 0 is malformed/);
  });
});

/** TFLite's own definition of CONV_2D / DEPTHWISE_CONV_2D on NHWC data with SAME padding, fused RELU6. */
function referenceConvNhwc(
  x: Float32Array,
  [H, W, C]: number[],
  filter: Float32Array,
  filterShape: number[],
  bias: Float32Array,
  stride: number,
  depthwise: boolean,
): { out: Float64Array; shape: number[] } {
  const [fo, kH, kW, fi] = filterShape as [number, number, number, number];
  const O = depthwise ? fi : fo;
  const oH = Math.ceil(H! / stride);
  const oW = Math.ceil(W! / stride);
  const padTop = Math.floor(Math.max((oH - 1) * stride + kH - H!, 0) / 2);
  const padLeft = Math.floor(Math.max((oW - 1) * stride + kW - W!, 0) / 2);
  const out = new Float64Array(oH * oW * O);
  for (let i = 0; i < oH; i++) {
    for (let j = 0; j < oW; j++) {
      for (let o = 0; o < O; o++) {
        let s = bias[o]!;
        for (let a = 0; a < kH; a++) {
          for (let b = 0; b < kW; b++) {
            const y = i * stride - padTop + a;
            const xx = j * stride - padLeft + b;
            if (y < 0 || y >= H! || xx < 0 || xx >= W!) continue;
            if (depthwise) s += x[(y * W! + xx) * C! + o]! * filter[(a * kW + b) * fi + o]!;
            else
              for (let c = 0; c < C!; c++) s += x[(y * W! + xx) * C! + c]! * filter[((o * kH + a) * kW + b) * fi + c]!;
          }
        }
        out[(i * oW + j) * O + o] = Math.min(6, Math.max(0, s));
      }
    }
  }
  return { out, shape: [oH, oW, O] };
}

describe('TfliteGraph', () => {
  it('runs the stem conv (3×3, stride 2, asymmetric SAME) and the first depthwise conv as TFLite defines them', () => {
    const model = readTflite(assets.tflite, assets.source);
    const graph = new TfliteGraph(model, assets.source);
    const g = model.subgraphs[0]!;
    const ops = [
      g.operators.find((o) => o.opcode === 'CONV_2D')!,
      g.operators.find((o) => o.opcode === 'DEPTHWISE_CONV_2D')!,
    ];
    const input = randn([1, 3, 300, 300], { generator: new Generator(4) });
    const taps = ops.map((op) => op.outputs[0]!);
    const result = noGrad(() => graph.run(input, { taps }));
    // Reference input of op k in NHWC: the network input, then op 0's output.
    const toNhwc = (t: { data: ArrayLike<number>; shape: readonly number[] }): Float32Array => {
      const [, C, H, W] = t.shape as number[];
      const out = new Float32Array(C! * H! * W!);
      for (let c = 0; c < C!; c++) for (let p = 0; p < H! * W!; p++) out[p * C! + c] = t.data[c * H! * W! + p]!;
      return out;
    };
    const constant = (t: TfliteTensor): Float32Array => {
      const dq = g.operators.find((o) => o.opcode === 'DEQUANTIZE' && o.outputs[0] === t.index);
      const src = dq ? g.tensors[dq.inputs[0]!]! : t;
      return float16BytesToFloat32(model.buffers[src.buffer]!);
    };
    let x = toNhwc(input);
    let xShape = [300, 300, 3];
    ops.forEach((op, k) => {
      const filter = g.tensors[op.inputs[1]!]!;
      const stride = op.options.kind === 'conv2d' || op.options.kind === 'depthwise' ? op.options.strideH : 0;
      const ref = referenceConvNhwc(
        x,
        xShape,
        constant(filter),
        filter.shape,
        constant(g.tensors[op.inputs[2]!]!),
        stride,
        k === 1,
      );
      const got = toNhwc(result.taps[String(taps[k])]!);
      expect(got.length).toBe(ref.out.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref.out[i]!));
      expect(worst, `operator ${k}`).toBeLessThan(1e-3);
      x = got;
      xShape = ref.shape;
    });
    expect(xShape).toEqual([150, 150, 32]);
  });

  it('runs inference on resident activations and reused buffers: the same outputs and taps as a recording run', () => {
    const model = readTflite(assets.tflite, assets.source);
    const graph = new TfliteGraph(model, assets.source);
    const g = model.subgraphs[0]!;
    // an early tap (its buffer's size recurs in later layers) and the 19×19 grid
    const early = g.operators.find((o) => o.opcode === 'DEPTHWISE_CONV_2D')!.outputs[0]!;
    const input = randn([1, 3, 300, 300], { generator: new Generator(5) });
    const fresh = graph.run(input, { taps: [early] }); // recording: every output a new array
    const reused = noGrad(() => graph.run(input, { taps: [early] }));
    expect(Object.keys(reused.outputs)).toEqual(Object.keys(fresh.outputs));
    for (const [name, t] of Object.entries(fresh.outputs)) {
      expect(Array.from(reused.outputs[name]!.data), name).toEqual(Array.from(t.data));
    }
    const tap = String(early);
    expect(Array.from(reused.taps[tap]!.data)).toEqual(Array.from(fresh.taps[tap]!.data));
    // The dead buffers kept for the next run never include what a run returned: a second run leaves the first
    // run's outputs and taps as they were, and computes the same values.
    const again = noGrad(() => graph.run(randn([1, 3, 300, 300], { generator: new Generator(6) }), { taps: [early] }));
    const third = noGrad(() => graph.run(input, { taps: [early] }));
    for (const [name, t] of Object.entries(fresh.outputs)) {
      expect(Array.from(reused.outputs[name]!.data), `${name} after later runs`).toEqual(Array.from(t.data));
      expect(Array.from(third.outputs[name]!.data), `${name} third run`).toEqual(Array.from(t.data));
      expect(again.outputs[name]!.data).not.toBe(reused.outputs[name]!.data);
    }
    expect(Array.from(reused.taps[tap]!.data)).toEqual(Array.from(fresh.taps[tap]!.data));
    expect(Array.from(third.taps[tap]!.data)).toEqual(Array.from(fresh.taps[tap]!.data));
    // free() drops the weights' wasm copies; the next run makes them again
    graph.free();
    const afterFree = noGrad(() => graph.run(input));
    for (const [name, t] of Object.entries(fresh.outputs)) {
      expect(Array.from(afterFree.outputs[name]!.data), `${name} after free()`).toEqual(Array.from(t.data));
    }
  });
});
