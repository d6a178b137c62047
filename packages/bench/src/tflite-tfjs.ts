// A TFLite subgraph (as @recurrent/vision's `readTflite` parses it) built in TensorFlow.js the way a tfjs user would:
// NHWC throughout, filters moved to tfjs' layouts once, `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` with the
// bias and the fused activation, `tf.add`, `tf.reshape`, `tf.concat`. W6 runs the Objectron SSD-MobileNetV2 with it.
import * as tf from '@tensorflow/tfjs';
import { float16BytesToFloat32, type Activation, type TfliteModel, type TfliteTensor } from '@recurrent/vision';

/** The operators this builder runs (the ones of the Objectron detector). */
const SUPPORTED = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'RESHAPE', 'CONCATENATION', 'DEQUANTIZE'];

type Values = Map<number, tf.Tensor>;

export interface TfjsTfliteResult {
  /** The subgraph's outputs by tensor name (TFLite layout, which is tfjs' NHWC). */
  outputs: Record<string, tf.Tensor>;
  /** The requested intermediate tensors by the name asked for, NHWC. */
  taps: Record<string, tf.Tensor>;
}

/** Float data of a constant tensor (float16 widened to float32). */
function constantData(model: TfliteModel, t: TfliteTensor, source: string): Float32Array {
  const bytes = model.buffers[t.buffer];
  if (!bytes || bytes.byteLength === 0) throw new Error(`${source}: tensor '${t.name}' has no data`);
  if (t.type === 'float16') return float16BytesToFloat32(bytes);
  if (t.type !== 'float32')
    throw new Error(`${source}: constant '${t.name}' is ${t.type}, expected float16 or float32`);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The fused activations tfjs' fused ops take; the others run as a separate op after. */
function fusedActivation(a: Activation): tf.fused.Activation | null {
  return a === 'NONE' ? 'linear' : a === 'RELU' ? 'relu' : a === 'RELU6' ? 'relu6' : null;
}

function applyActivation(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'NONE':
      return x;
    case 'RELU':
      return tf.relu(x);
    case 'RELU6':
      return tf.relu6(x);
    case 'RELU_N1_TO_1':
      return tf.clipByValue(x, -1, 1);
    case 'TANH':
      return tf.tanh(x);
  }
}

/** A TFLite subgraph compiled to tfjs ops: weights become tfjs tensors once, `run` executes the operators in order. */
export class TfjsTfliteGraph {
  private readonly steps: ((values: Values) => void)[] = [];
  private readonly constants = new Map<number, Float32Array>();
  private readonly weights: tf.Tensor[] = [];

  constructor(
    readonly model: TfliteModel,
    readonly source: string,
  ) {
    const g = model.subgraphs[0];
    if (!g) throw new Error(`${source}: no subgraph`);
    for (const t of g.tensors) {
      if (model.buffers[t.buffer]?.byteLength && (t.type === 'float32' || t.type === 'float16'))
        this.constants.set(t.index, constantData(model, t, source));
    }
    g.operators.forEach((op, i) => {
      const where = `${source}: operator ${i} (${op.opcode})`;
      const output = op.outputs[0];
      if (output === undefined) throw new Error(`${where}: no output`);
      const input = (values: Values, k: number): tf.Tensor => {
        const v = values.get(op.inputs[k] ?? -1);
        if (!v) throw new Error(`${where}: input ${k} has no value yet`);
        return v;
      };
      const constant = (k: number): { data: Float32Array; info: TfliteTensor } => {
        const index = op.inputs[k] ?? -1;
        const data = this.constants.get(index);
        const info = g.tensors[index];
        if (!data || !info) throw new Error(`${where}: input ${k} must be a constant`);
        return { data, info };
      };
      const o = op.options;
      switch (op.opcode) {
        case 'DEQUANTIZE':
          this.constants.set(output, constant(0).data);
          return;
        case 'CONV_2D':
        case 'DEPTHWISE_CONV_2D': {
          if (o.kind !== 'conv2d' && o.kind !== 'depthwise') throw new Error(`${where}: missing options`);
          const { data, info } = constant(1);
          const [fo, kH, kW, fi] = info.shape as [number, number, number, number];
          // TFLite conv filter [O, kH, kW, I] → tfjs [kH, kW, I, O]; depthwise [1, kH, kW, C·M] → [kH, kW, C, M]
          const filter =
            o.kind === 'depthwise'
              ? tf.tensor4d(data, [kH, kW, fi / o.depthMultiplier, o.depthMultiplier])
              : tf.tidy(() => tf.transpose(tf.tensor4d(data, [fo, kH, kW, fi]), [1, 2, 3, 0]));
          const bias = op.inputs[2] !== undefined && op.inputs[2] >= 0 ? tf.tensor1d(constant(2).data) : undefined;
          this.weights.push(filter, ...(bias ? [bias] : []));
          const fused = fusedActivation(o.activation);
          const conv = {
            filter: filter as tf.Tensor4D,
            strides: [o.strideH, o.strideW] as [number, number],
            pad: o.padding === 'SAME' ? ('same' as const) : ('valid' as const),
            dilations: [o.dilationH, o.dilationW] as [number, number],
            bias,
            activation: fused ?? 'linear',
          };
          this.steps.push((values) => {
            const x = input(values, 0) as tf.Tensor4D;
            const y =
              o.kind === 'depthwise' ? tf.fused.depthwiseConv2d({ x, ...conv }) : tf.fused.conv2d({ x, ...conv });
            values.set(output, fused ? y : applyActivation(y, o.activation));
          });
          return;
        }
        case 'ADD':
          if (o.kind !== 'add') throw new Error(`${where}: missing options`);
          this.steps.push((values) =>
            values.set(output, applyActivation(tf.add(input(values, 0), input(values, 1)), o.activation)),
          );
          return;
        case 'RESHAPE': {
          const shape = g.tensors[output]?.shape;
          if (!shape) throw new Error(`${where}: output has no shape`);
          this.steps.push((values) => values.set(output, tf.reshape(input(values, 0), shape)));
          return;
        }
        case 'CONCATENATION':
          if (o.kind !== 'concatenation') throw new Error(`${where}: missing options`);
          this.steps.push((values) => {
            const parts = op.inputs.map((_, k) => input(values, k));
            values.set(output, applyActivation(tf.concat(parts, o.axis), o.activation));
          });
          return;
        default:
          throw new Error(`${where}: operator not supported (supported: ${SUPPORTED.join(', ')})`);
      }
    });
  }

  /** Run on an NHWC input; every intermediate tensor is freed except the outputs and the asked taps. */
  run(input: tf.Tensor4D, taps: readonly string[] = []): TfjsTfliteResult {
    const g = this.model.subgraphs[0]!;
    const inputIndex = g.inputs[0];
    if (inputIndex === undefined) throw new Error(`${this.source}: no input`);
    const tapIndex = taps.map((name) => {
      const t = g.tensors.find((x) => x.name === name);
      if (!t) throw new Error(`${this.source}: no tensor named ${name}`);
      return t.index;
    });
    return tf.tidy(() => {
      const values: Values = new Map([[inputIndex, input]]);
      for (const step of this.steps) step(values);
      const pick = (index: number): tf.Tensor => {
        const v = values.get(index);
        if (!v) throw new Error(`${this.source}: tensor ${index} was never computed`);
        return v;
      };
      const outputs: Record<string, tf.Tensor> = {};
      for (const index of g.outputs) outputs[g.tensors[index]!.name] = pick(index);
      const tapped: Record<string, tf.Tensor> = {};
      taps.forEach((name, k) => {
        tapped[name] = pick(tapIndex[k]!);
      });
      return { outputs, taps: tapped };
    });
  }

  dispose(): void {
    for (const w of this.weights) w.dispose();
  }
}
