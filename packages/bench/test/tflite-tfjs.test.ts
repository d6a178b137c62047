// The tfjs build of a TFLite graph (W6's peer) against @recurrent/vision's TfliteGraph on a small random network
// with every operator the Objectron detector uses: CONV_2D (stride 2, SAME with the odd pixel after), DEPTHWISE_CONV_2D
// (stride 1 and 2), a pointwise conv, ADD, RESHAPE, CONCATENATION, DEQUANTIZE of a float16 filter, RELU6 and NONE.
import { describe, expect, it } from 'vitest';
import { Generator, randn } from '@recurrent/core';
import { TfliteGraph, type Activation, type OperatorOptions, type TfliteModel } from '@recurrent/vision';
import { compareTfliteGraphs } from '../src/tflite-parity.js';
import { TfjsTfliteGraph } from '../src/tflite-tfjs.js';
import { useTfBackend } from '../src/impls/tfjs.js';

/** float16 bits of k/64 for an integer k in [−128, 128] (exact in float16). */
function float16Bits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const a = Math.abs(value);
  const exponent = Math.floor(Math.log2(a));
  const mantissa = Math.round((a / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | mantissa;
}

interface TensorSpec {
  name: string;
  shape: number[];
  data?: number[];
  float16?: boolean;
}

/** A TfliteModel (as readTflite returns it) from tensor specs and operators; constants get buffers. */
function buildModel(
  tensors: TensorSpec[],
  operators: { opcode: string; inputs: number[]; outputs: number[]; options: OperatorOptions }[],
  inputs: number[],
  outputs: number[],
): TfliteModel {
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const infos = tensors.map((t, index) => {
    if (!t.data) return { index, name: t.name, shape: t.shape, type: 'float32' as const, buffer: 0 };
    const bytes = t.float16
      ? new Uint8Array(Uint16Array.from(t.data, float16Bits).buffer)
      : new Uint8Array(Float32Array.from(t.data).buffer);
    buffers.push(bytes);
    return {
      index,
      name: t.name,
      shape: t.shape,
      type: t.float16 ? ('float16' as const) : ('float32' as const),
      buffer: buffers.length - 1,
    };
  });
  return {
    version: 3,
    description: 'tiny',
    buffers,
    subgraphs: [{ name: 'main', tensors: infos, inputs, outputs, operators }],
  };
}

function tinyNetwork(seed: number): TfliteModel {
  const g = new Generator(seed);
  const values = (n: number) => Array.from({ length: n }, () => (g.randint(257) - 128) / 64);
  const conv = (padding: 'SAME' | 'VALID', stride: number, activation: Activation): OperatorOptions => ({
    kind: 'conv2d',
    padding,
    strideH: stride,
    strideW: stride,
    dilationH: 1,
    dilationW: 1,
    activation,
  });
  const depthwise = (stride: number, activation: Activation): OperatorOptions => ({
    kind: 'depthwise',
    padding: 'SAME',
    strideH: stride,
    strideW: stride,
    dilationH: 1,
    dilationW: 1,
    depthMultiplier: 1,
    activation,
  });
  const tensors: TensorSpec[] = [
    { name: 'input', shape: [1, 9, 9, 3] }, // 0
    { name: 'stem/filter16', shape: [8, 3, 3, 3], data: values(216), float16: true }, // 1
    { name: 'stem/filter', shape: [8, 3, 3, 3] }, // 2 (DEQUANTIZE of 1)
    { name: 'stem/bias', shape: [8], data: values(8) }, // 3
    { name: 'stem', shape: [1, 5, 5, 8] }, // 4
    { name: 'dw/filter', shape: [1, 3, 3, 8], data: values(72) }, // 5
    { name: 'dw/bias', shape: [8], data: values(8) }, // 6
    { name: 'dw', shape: [1, 5, 5, 8] }, // 7
    { name: 'project/filter', shape: [8, 1, 1, 8], data: values(64) }, // 8
    { name: 'project/bias', shape: [8], data: values(8) }, // 9
    { name: 'project', shape: [1, 5, 5, 8] }, // 10
    { name: 'add', shape: [1, 5, 5, 8] }, // 11
    { name: 'dw2/filter', shape: [1, 3, 3, 8], data: values(72) }, // 12
    { name: 'dw2/bias', shape: [8], data: values(8) }, // 13
    { name: 'dw2', shape: [1, 3, 3, 8] }, // 14
    { name: 'flat/dw2', shape: [1, 72] }, // 15
    { name: 'flat/add', shape: [1, 200] }, // 16
    { name: 'output', shape: [1, 272] }, // 17
  ];
  return buildModel(
    tensors,
    [
      { opcode: 'DEQUANTIZE', inputs: [1], outputs: [2], options: { kind: 'none' } },
      { opcode: 'CONV_2D', inputs: [0, 2, 3], outputs: [4], options: conv('SAME', 2, 'RELU6') },
      { opcode: 'DEPTHWISE_CONV_2D', inputs: [4, 5, 6], outputs: [7], options: depthwise(1, 'RELU6') },
      { opcode: 'CONV_2D', inputs: [7, 8, 9], outputs: [10], options: conv('VALID', 1, 'NONE') },
      { opcode: 'ADD', inputs: [4, 10], outputs: [11], options: { kind: 'add', activation: 'NONE' } },
      { opcode: 'DEPTHWISE_CONV_2D', inputs: [11, 12, 13], outputs: [14], options: depthwise(2, 'RELU6') },
      { opcode: 'RESHAPE', inputs: [14], outputs: [15], options: { kind: 'reshape', newShape: [1, 72] } },
      { opcode: 'RESHAPE', inputs: [11], outputs: [16], options: { kind: 'reshape', newShape: [1, 200] } },
      {
        opcode: 'CONCATENATION',
        inputs: [15, 16],
        outputs: [17],
        options: { kind: 'concatenation', axis: 1, activation: 'NONE' },
      },
    ],
    [0],
    [17],
  );
}

describe('the tfjs build of a TFLite graph (W6 peer)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives @recurrent/vision's outputs and intermediate grids on tfjs-${backend}`, async () => {
      await useTfBackend(backend);
      const model = tinyNetwork(1);
      const input = randn([1, 3, 9, 9], { generator: new Generator(2) });
      const parity = compareTfliteGraphs(new TfliteGraph(model, 'tiny'), new TfjsTfliteGraph(model, 'tiny'), input, [
        'dw',
        'add',
        'dw2',
      ]);
      expect(Object.keys(parity.relative).sort()).toEqual(['add', 'dw', 'dw2', 'output']);
      expect(parity.worst).toBeLessThan(1e-5);
    });
  }

  it('notices a network that differs in one bias', async () => {
    await useTfBackend('cpu');
    const model = tinyNetwork(1);
    const other = tinyNetwork(1);
    const bias = other.buffers[other.subgraphs[0]!.tensors[13]!.buffer]!;
    const changed = new Float32Array(bias.slice().buffer);
    changed[3]! += 0.5;
    other.buffers[other.subgraphs[0]!.tensors[13]!.buffer] = new Uint8Array(changed.buffer);
    const input = randn([1, 3, 9, 9], { generator: new Generator(2) });
    const parity = compareTfliteGraphs(new TfliteGraph(model, 'a'), new TfjsTfliteGraph(other, 'b'), input, ['dw']);
    expect(parity.relative.dw).toBeLessThan(1e-5);
    expect(parity.worst).toBeGreaterThan(1e-3);
  });
});
