import {
  FormatError,
  ResidentConvSession,
  type ResidentActivation,
  ShapeError,
  ValueError,
  Tensor,
  add,
  cat,
  clamp,
  conv2d,
  conv2dOutputShape,
  type Conv2dOptions,
  type ConvActivation,
  isGradEnabled,
  permute,
  relu,
  reshape,
  tanh,
} from '@recurrent/core';
import type { Activation, TfliteModel, TfliteOperator, TfliteSubgraph, TfliteTensor } from './schema.js';
import { float16BytesToFloat32 } from './float16.js';
import { SpareBuffers } from './spare-buffers.js';

/**
 * A runtime value. 4-D activations are kept as NCHW core tensors (`nchw: true`) although TFLite's are NHWC; every
 * other tensor keeps TFLite's layout. RESHAPE and CONCATENATION translate between the two where they meet.
 */
interface Value {
  /** The tensor; absent while the value lives only in wasm memory (`resident`) — made on first need. */
  tensor?: Tensor;
  /** The value in the run's resident session (inference on the wasm backend): conv and add steps chain there. */
  resident?: ResidentActivation;
  nchw: boolean;
  /** The storage is this run's own (a conv output made without gradient recording): reusable once dead. */
  spare?: boolean;
}

/** The operators `TfliteGraph` runs. */
export const SUPPORTED_OPERATORS = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'RESHAPE', 'CONCATENATION', 'DEQUANTIZE'];

export interface TfliteRunOptions {
  /** Also return these intermediate tensors (by name or index), e.g. a feature grid to attend over. */
  taps?: readonly (string | number)[];
  /** When given, milliseconds spent per operator kind are added to it (e.g. { CONV_2D: 310, … }). */
  profile?: Record<string, number>;
}

export interface TfliteRunResult {
  /** The subgraph outputs by tensor name, in TFLite layout. */
  outputs: Record<string, Tensor>;
  /** The requested taps by the name or index asked for; 4-D ones as NCHW [1, C, H, W]. */
  taps: Record<string, Tensor>;
}

/** A float constant of the model (float32, or float16 widened), in TFLite layout. */
function constantData(model: TfliteModel, t: TfliteTensor, source: string): Float32Array {
  const bytes = model.buffers[t.buffer];
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (!bytes || bytes.byteLength === 0) throw new FormatError(`${source}: tensor '${t.name}' has no data`);
  const width = t.type === 'float16' ? 2 : t.type === 'float32' ? 4 : 0;
  if (!width) throw new FormatError(`${source}: constant '${t.name}' is ${t.type}, expected float16 or float32`);
  if (bytes.byteLength !== size * width) {
    throw new FormatError(
      `${source}: tensor '${t.name}' [${t.shape}] ${t.type} needs ${size * width} bytes, ` +
        `buffer has ${bytes.byteLength}`,
    );
  }
  if (width === 2) return float16BytesToFloat32(bytes);
  const out = new Float32Array(size);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Apply a fused activation to `x`, a tensor the operator has just produced. Without gradient recording (inference)
 * the clamping activations overwrite `x` in place, saving a pass and an allocation per layer; with it they are
 * core's differentiable ops.
 */
function activate(x: Tensor, activation: Activation, where: string): Tensor {
  const bounds =
    activation === 'RELU'
      ? [0, Infinity]
      : activation === 'RELU6'
        ? [0, 6]
        : activation === 'RELU_N1_TO_1'
          ? [-1, 1]
          : null;
  if (bounds && !isGradEnabled() && !x.requiresGrad) {
    const [lo, hi] = bounds as [number, number];
    const d = x.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      // biome-ignore lint/complexity/useMathMinMax: keeps NaN as NaN and −0 as −0, like the op it mirrors
      d[i] = v < lo ? lo : v > hi ? hi : v;
    }
    return x;
  }
  switch (activation) {
    case 'NONE':
      return x;
    case 'RELU':
      return relu(x);
    case 'RELU6':
      return clamp(x, { min: 0, max: 6 });
    case 'RELU_N1_TO_1':
      return clamp(x, { min: -1, max: 1 });
    case 'TANH':
      return tanh(x);
    default:
      throw new FormatError(`${where}: unsupported fused activation ${String(activation)}`);
  }
}

/** What one run of the graph shares between its steps. */
interface RunContext {
  /** Buffers of dead activations for the next conv output of their size (inference only). */
  spare: SpareBuffers;
  /** Where conv and add steps run on resident activations: inference on the wasm backend only. */
  session: ResidentConvSession | null;
}

/** The value's shape, without copying a resident one out. */
function shapeOf(v: Value): readonly number[] {
  const shape = v.tensor?.shape ?? v.resident?.shape;
  if (!shape) throw new ValueError('TfliteGraph: a value with neither a tensor nor a resident copy');
  return shape;
}

/** The value as a tensor, copied out of the session's wasm memory on first need. */
function tensorOf(v: Value, session: ResidentConvSession | null): Tensor {
  if (v.tensor) return v.tensor;
  if (!v.resident || !session) throw new ValueError('TfliteGraph: a value with neither a tensor nor a session');
  v.tensor = session.download(v.resident);
  return v.tensor;
}

/** The value in the session's wasm memory, copied in on first need. */
function residentOf(v: Value, session: ResidentConvSession): ResidentActivation {
  v.resident ??= session.upload(tensorOf(v, session));
  return v.resident;
}

/** One step of the compiled graph. */
interface Step {
  opcode: string;
  /** Tensor indices the step reads (constants included; they are never in the value map). */
  inputs: readonly number[];
  run: (values: Map<number, Value>, context: RunContext) => void;
}

/**
 * A TFLite subgraph compiled onto core's ops: weights are widened to float32 and converted to PyTorch's layouts
 * (conv [O, I, kH, kW], depthwise [C·M, 1, kH, kW]) once, at construction; `run` then executes the operators in
 * order. Runs CONV_2D, DEPTHWISE_CONV_2D, ADD, RESHAPE, CONCATENATION and DEQUANTIZE (of constants) with fused
 * NONE/RELU/RELU6/RELU_N1_TO_1/TANH activations; any other operator is refused at construction.
 */
export class TfliteGraph {
  readonly subgraph: TfliteSubgraph;
  private readonly steps: Step[] = [];
  /** For each tensor index, the last step that reads it. */
  private readonly lastUse = new Map<number, number>();
  /** Constant float data by tensor index (after DEQUANTIZE), in TFLite layout. */
  private readonly constants = new Map<number, Float32Array>();
  /**
   * Dead activation buffers kept from one inference run to the next (the graph's workspace, as TFLite's arena): a
   * steady run loop then allocates no large arrays and triggers no collections. Outputs and taps never enter it.
   */
  private readonly spare = new SpareBuffers();
  /**
   * The weights' wasm copies and the activations of inference runs on the wasm backend (made on the first such run,
   * kept until `free()`): consecutive conv, depthwise and add steps then pass activations in wasm memory.
   */
  private session: ResidentConvSession | null = null;

  constructor(
    readonly model: TfliteModel,
    readonly source: string,
  ) {
    const g = model.subgraphs[0];
    if (!g) throw new FormatError(`${source}: no subgraph`);
    this.subgraph = g;
    for (const t of g.tensors) {
      if (model.buffers[t.buffer]?.byteLength && (t.type === 'float32' || t.type === 'float16')) {
        this.constants.set(t.index, constantData(model, t, source));
      }
    }
    g.operators.forEach((op, i) => {
      this.compile(op, `${source}: operator ${i} (${op.opcode})`);
    });
    this.steps.forEach((step, i) => {
      for (const t of step.inputs) this.lastUse.set(t, i);
    });
  }

  /** The tensor with this name or index; `ValueError` when there is none. */
  tensorInfo(key: string | number): TfliteTensor {
    const t = typeof key === 'number' ? this.subgraph.tensors[key] : this.subgraph.tensors.find((x) => x.name === key);
    if (!t) throw new ValueError(`${this.source}: no tensor ${JSON.stringify(key)}`);
    return t;
  }

  private tensor(index: number, where: string): TfliteTensor {
    const t = this.subgraph.tensors[index];
    if (!t) throw new FormatError(`${where}: tensor index ${index} out of range`);
    return t;
  }

  private constant(index: number, where: string): Float32Array {
    const c = this.constants.get(index);
    if (!c) throw new FormatError(`${where}: input ${index} ('${this.tensor(index, where).name}') must be a constant`);
    return c;
  }

  private compile(op: TfliteOperator, where: string): void {
    const steps = this.steps;
    const addStep = (run: Step['run']): void => void steps.push({ opcode: op.opcode, inputs: op.inputs, run });
    const o = op.options;
    const output = op.outputs[0];
    if (output === undefined) throw new FormatError(`${where}: no output`);
    const input = (values: Map<number, Value>, k: number): Value => {
      const index = op.inputs[k];
      const v = index === undefined ? undefined : values.get(index);
      if (!v)
        throw new FormatError(`${where}: input ${k} (tensor ${index}) has no value yet (operators out of order?)`);
      return v;
    };
    switch (op.opcode) {
      case 'DEQUANTIZE': {
        const from = op.inputs[0];
        if (from === undefined) throw new FormatError(`${where}: no input`);
        this.constants.set(output, this.constant(from, where));
        return;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        if (o.kind !== 'conv2d' && o.kind !== 'depthwise') throw new FormatError(`${where}: missing options`);
        const bIndex = op.inputs[2];
        const filterIndex = op.inputs[1];
        if (filterIndex === undefined) throw new FormatError(`${where}: no filter`);
        const filter = this.tensor(filterIndex, where);
        if (filter.shape.length !== 4) throw new FormatError(`${where}: filter shape [${filter.shape}] is not 4-D`);
        const [fo, kH, kW, fi] = filter.shape as [number, number, number, number];
        const raw = this.constant(filterIndex, where);
        const depthwise = o.kind === 'depthwise';
        // TFLite: conv filter [O, kH, kW, I]; depthwise filter [1, kH, kW, C·M]. PyTorch: [O, I/groups, kH, kW].
        const outChannels = depthwise ? fi : fo;
        const perGroup = depthwise ? 1 : fi;
        const weightData = new Float32Array(raw.length);
        for (let oc = 0; oc < outChannels; oc++) {
          for (let ic = 0; ic < perGroup; ic++) {
            for (let i = 0; i < kH; i++) {
              for (let j = 0; j < kW; j++) {
                const src = depthwise ? (i * kW + j) * fi + oc : ((oc * kH + i) * kW + j) * fi + ic;
                weightData[((oc * perGroup + ic) * kH + i) * kW + j] = raw[src]!;
              }
            }
          }
        }
        const weight = new Tensor(weightData, [outChannels, perGroup, kH, kW]);
        const bias =
          bIndex !== undefined && bIndex >= 0 ? new Tensor(this.constant(bIndex, where), [outChannels]) : null;
        if (bias && bias.size !== outChannels)
          throw new FormatError(`${where}: bias has ${bias.size} values for ${outChannels} channels`);
        const { strideH, strideW, dilationH, dilationW } = o;
        // RELU and RELU6 run inside core's conv kernels; the rarer activations stay a separate step.
        const fused: ConvActivation | undefined =
          o.activation === 'RELU' ? 'relu' : o.activation === 'RELU6' ? 'relu6' : undefined;
        addStep((values, context) => {
          const x = input(values, 0);
          if (!x.nchw) throw new ShapeError(`${where}: expects a 4-D image tensor`);
          const shape = shapeOf(x);
          const [, C] = shape as [number, number, number, number];
          const groups = depthwise ? C : 1;
          if (depthwise && outChannels !== C * o.depthMultiplier) {
            throw new ShapeError(
              `${where}: ${outChannels} output channels for ${C} inputs × multiplier ${o.depthMultiplier}`,
            );
          }
          // TFLite's SAME is core's 'same' (the odd pixel after the image, as TensorFlow), padded inside the kernels.
          const options: Conv2dOptions = {
            stride: [strideH, strideW],
            padding: o.padding === 'SAME' ? 'same' : 'valid',
            dilation: [dilationH, dilationW],
            groups,
            activation: fused,
          };
          const session = context.session;
          if (session && (fused || o.activation === 'NONE')) {
            const resident = session.conv2d(residentOf(x, session), weight, bias, options);
            if (resident) {
              values.set(output, { resident, nchw: true });
              return;
            }
          }
          // Without gradient recording the output goes into a dead activation's buffer when one has its size.
          const recording = isGradEnabled();
          const out = recording ? undefined : context.spare.take(conv2dOutputShape(shape, weight, bias, options));
          const y = conv2d(tensorOf(x, context.session), weight, bias, { ...options, out });
          values.set(output, { tensor: fused ? y : activate(y, o.activation, where), nchw: true, spare: !recording });
        });
        return;
      }
      case 'ADD': {
        if (o.kind !== 'add') throw new FormatError(`${where}: missing options`);
        addStep((values, context) => {
          const a = input(values, 0);
          const b = input(values, 1);
          if (a.nchw !== b.nchw) throw new ShapeError(`${where}: adds tensors of different layouts`);
          const session = context.session;
          if (session && a.nchw && o.activation === 'NONE' && (a.resident || b.resident)) {
            values.set(output, { resident: session.add(residentOf(a, session), residentOf(b, session)), nchw: true });
            return;
          }
          const sum = add(tensorOf(a, context.session), tensorOf(b, context.session));
          values.set(output, { tensor: activate(sum, o.activation, where), nchw: a.nchw });
        });
        return;
      }
      case 'RESHAPE': {
        const shape = this.tensor(output, where).shape;
        addStep((values, context) => {
          const x = input(values, 0);
          const t = tensorOf(x, context.session);
          // Back to TFLite's NHWC order before reinterpreting the flat data.
          const flat = x.nchw ? permute(t, [0, 2, 3, 1]) : t;
          values.set(output, { tensor: reshape(flat, shape), nchw: false });
        });
        return;
      }
      case 'CONCATENATION': {
        if (o.kind !== 'concatenation') throw new FormatError(`${where}: missing options`);
        addStep((values, context) => {
          const parts = op.inputs.map((_, k) => input(values, k));
          const nchw = parts.every((p) => p.nchw);
          const rank = parts[0] ? shapeOf(parts[0]).length : 0;
          const axis = o.axis < 0 ? o.axis + rank : o.axis;
          // NHWC axis → NCHW axis for image tensors: N→0, H→2, W→3, C→1.
          const axisHere = nchw ? ([0, 2, 3, 1][axis] ?? axis) : axis;
          const tensors = parts.map((p) => {
            const t = tensorOf(p, context.session);
            return p.nchw && !nchw ? permute(t, [0, 2, 3, 1]) : t;
          });
          values.set(output, { tensor: activate(cat(tensors, axisHere), o.activation, where), nchw });
        });
        return;
      }
      default:
        throw new FormatError(`${where}: operator not supported (supported: ${SUPPORTED_OPERATORS.join(', ')})`);
    }
  }

  /**
   * Run the graph on `input`: [1, C, H, W] NCHW for a 4-D (image) input, TFLite's layout otherwise. Run it inside
   * `noGrad` unless gradients are wanted. Without gradient recording on the wasm backend the conv, depthwise and add
   * steps pass their activations in wasm memory (the graph's `ResidentConvSession`, its weights copied there on the
   * first such run); outputs and taps are copied out as new tensors.
   */
  run(input: Tensor, options: TfliteRunOptions = {}): TfliteRunResult {
    const g = this.subgraph;
    const inputIndex = g.inputs[0];
    if (inputIndex === undefined || g.inputs.length !== 1) throw new FormatError(`${this.source}: expected one input`);
    const info = this.tensor(inputIndex, this.source);
    const expected =
      info.shape.length === 4 ? [info.shape[0], info.shape[3], info.shape[1], info.shape[2]] : info.shape;
    if (input.shape.length !== expected.length || input.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(`${this.source}: input '${info.name}' expects [${expected}] (NCHW), got [${input.shape}]`);
    }
    const values = new Map<number, Value>([[inputIndex, { tensor: input, nchw: info.shape.length === 4 }]]);
    const tapIndices = (options.taps ?? []).map((key) => this.tensorInfo(key).index);
    const keep = new Set([...g.outputs, ...tapIndices]);
    const profile = options.profile;
    const context: RunContext = { spare: this.spare, session: isGradEnabled() ? null : this.residentSession() };
    const session = context.session;
    try {
      this.steps.forEach((step, i) => {
        const t0 = profile ? performance.now() : 0;
        step.run(values, context);
        if (profile) profile[step.opcode] = (profile[step.opcode] ?? 0) + performance.now() - t0;
        // Drop activations no later step reads, so peak memory is the live set, not every layer's output; the run's
        // own buffers among them are reused by later layers (never one another value still shares).
        for (const t of step.inputs) {
          if (this.lastUse.get(t) !== i || keep.has(t)) continue;
          const dead = values.get(t);
          values.delete(t);
          if (dead?.resident) session?.release(dead.resident);
          const storage = dead?.spare ? dead.tensor : undefined;
          if (!storage) continue;
          const shared = [...values.values()].some((v) => v.tensor?.data.buffer === storage.data.buffer);
          if (!shared) this.spare.give(storage);
        }
      });
      const outputs: Record<string, Tensor> = {};
      for (const index of g.outputs) {
        const v = values.get(index);
        if (!v) throw new FormatError(`${this.source}: output ${index} was never computed`);
        const t = tensorOf(v, session);
        outputs[this.tensor(index, this.source).name] = v.nchw ? permute(t, [0, 2, 3, 1]) : t;
      }
      const taps: Record<string, Tensor> = {};
      for (const [k, key] of (options.taps ?? []).entries()) {
        const v = values.get(tapIndices[k]!);
        if (!v) throw new ValueError(`${this.source}: tap ${JSON.stringify(key)} is not an activation of the graph`);
        taps[String(key)] = tensorOf(v, session);
      }
      return { outputs, taps };
    } finally {
      // What is still resident (outputs and taps, now copied out, or everything after an error) is released.
      for (const v of values.values()) if (v.resident) session?.release(v.resident);
    }
  }

  /** Releases the wasm copies of the weights (the next inference run on the wasm backend makes them again). */
  free(): void {
    this.session?.free();
    this.session = null;
  }

  /** The graph's resident session on the active wasm backend, opened on first use; null off that backend. */
  private residentSession(): ResidentConvSession | null {
    if (this.session?.isActive()) return this.session;
    this.session?.free();
    this.session = ResidentConvSession.open();
    return this.session;
  }
}
