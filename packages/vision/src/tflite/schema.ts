import { FormatError } from '@recurrent/core';
import { FlatTable } from './flatbuffer.js';

/** TFLite tensor element types we read (schema.fbs `TensorType`). */
export const TENSOR_TYPES = { 0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 9: 'int8' } as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[keyof typeof TENSOR_TYPES];

/** The builtin operators this reader knows by name (schema.fbs `BuiltinOperator`); others keep their number. */
export const BUILTIN_OPERATORS: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  25: 'SOFTMAX',
  32: 'CUSTOM',
};

export type Padding = 'SAME' | 'VALID';
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH';
const ACTIVATIONS: Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH'];

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: TfliteTensorType;
  /** Index into `TfliteModel.buffers`; buffer 0 is the empty sentinel. */
  buffer: number;
}

/** The options of the operators we run, decoded from the builtin_options union. */
export type OperatorOptions =
  | {
      kind: 'conv2d';
      padding: Padding;
      strideH: number;
      strideW: number;
      dilationH: number;
      dilationW: number;
      activation: Activation;
    }
  | {
      kind: 'depthwise';
      padding: Padding;
      strideH: number;
      strideW: number;
      dilationH: number;
      dilationW: number;
      depthMultiplier: number;
      activation: Activation;
    }
  | { kind: 'concatenation'; axis: number; activation: Activation }
  | { kind: 'add'; activation: Activation }
  | { kind: 'reshape'; newShape: number[] }
  | { kind: 'none' };

export interface TfliteOperator {
  /** The builtin name ('CONV_2D') or `BUILTIN_<n>` / the custom code for operators this reader does not name. */
  opcode: string;
  inputs: number[];
  outputs: number[];
  options: OperatorOptions;
}

export interface TfliteSubgraph {
  name: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteModel {
  version: number;
  description: string;
  subgraphs: TfliteSubgraph[];
  /** Raw bytes of each buffer (views into the file; empty when the buffer holds no data). */
  buffers: Uint8Array[];
}

function activation(t: FlatTable, field: number, source: string): Activation {
  const code = t.int8(field);
  const a = ACTIVATIONS[code];
  if (!a) throw new FormatError(`${source}: unknown fused activation ${code}`);
  return a;
}

function padding(t: FlatTable, source: string): Padding {
  const code = t.int8(0);
  if (code !== 0 && code !== 1) throw new FormatError(`${source}: unknown padding ${code}`);
  return code === 0 ? 'SAME' : 'VALID';
}

/** builtin_options_type union indices (schema.fbs `BuiltinOptions`) of the operators we run. */
const OPTION_TYPES = { conv2d: 1, depthwise: 2, concatenation: 10, add: 11, reshape: 17 } as const;

function operatorOptions(op: FlatTable, opcode: string, where: string): OperatorOptions {
  const type = op.uint8(3);
  const t = op.table(4);
  const expect = (want: number): FlatTable => {
    if (type !== want || !t)
      throw new FormatError(`${where}: ${opcode} expects builtin_options type ${want}, got ${type}`);
    return t;
  };
  switch (opcode) {
    case 'CONV_2D': {
      const o = expect(OPTION_TYPES.conv2d);
      return {
        kind: 'conv2d',
        padding: padding(o, where),
        strideW: o.int32(1),
        strideH: o.int32(2),
        activation: activation(o, 3, where),
        dilationW: o.int32(4, 1),
        dilationH: o.int32(5, 1),
      };
    }
    case 'DEPTHWISE_CONV_2D': {
      const o = expect(OPTION_TYPES.depthwise);
      return {
        kind: 'depthwise',
        padding: padding(o, where),
        strideW: o.int32(1),
        strideH: o.int32(2),
        depthMultiplier: o.int32(3),
        activation: activation(o, 4, where),
        dilationW: o.int32(5, 1),
        dilationH: o.int32(6, 1),
      };
    }
    case 'CONCATENATION': {
      const o = expect(OPTION_TYPES.concatenation);
      return { kind: 'concatenation', axis: o.int32(0), activation: activation(o, 1, where) };
    }
    case 'ADD':
      // AddOptions may be absent (no fused activation).
      return { kind: 'add', activation: t && type === OPTION_TYPES.add ? activation(t, 0, where) : 'NONE' };
    case 'RESHAPE':
      return { kind: 'reshape', newShape: t && type === OPTION_TYPES.reshape ? t.int32s(0) : [] };
    default:
      return { kind: 'none' };
  }
}

/**
 * Read a TFLite flatbuffer (schema.fbs of TensorFlow Lite, file identifier "TFL3"): its subgraphs' tensors,
 * operators with decoded options, and raw buffers. Malformed input → `FormatError` naming `source`.
 */
export function readTflite(bytes: Uint8Array, source: string): TfliteModel {
  if (bytes.byteLength < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3') {
    throw new FormatError(`${source}: not a TFLite flatbuffer (expected identifier "TFL3" at byte 4)`);
  }
  const root = FlatTable.root(bytes, source);
  const opcodes = root.tables(1).map((c, i) => {
    // builtin_code (field 3, int32) supersedes deprecated_builtin_code (field 0, int8) from schema v3a on.
    const code = Math.max(c.int8(0), c.int32(3));
    if (code === 32) return c.string(1) ?? 'CUSTOM';
    const name = BUILTIN_OPERATORS[code];
    if (code < 0) throw new FormatError(`${source}: operator code ${i} is ${code}`);
    return name ?? `BUILTIN_${code}`;
  });
  const buffers = root.tables(4).map((b) => {
    if (b.uint64(1) > 1) throw new FormatError(`${source}: buffers stored outside the flatbuffer are not supported`);
    return b.bytes(0) ?? new Uint8Array(0);
  });
  const subgraphs = root.tables(2).map((g, gi): TfliteSubgraph => {
    const tensors = g.tables(0).map((t, index): TfliteTensor => {
      const typeCode = t.int8(1);
      const type = TENSOR_TYPES[typeCode as keyof typeof TENSOR_TYPES];
      if (!type) throw new FormatError(`${source}: tensor ${index} has unsupported type ${typeCode}`);
      const shape = t.int32s(0);
      if (shape.some((d) => d < 0)) throw new FormatError(`${source}: tensor ${index} has shape [${shape}]`);
      const buffer = t.uint32(2);
      if (buffer >= buffers.length)
        throw new FormatError(`${source}: tensor ${index} names buffer ${buffer} of ${buffers.length}`);
      return { index, name: t.string(3) ?? `tensor_${index}`, shape, type, buffer };
    });
    const checkIndices = (list: number[], what: string): number[] => {
      for (const i of list) {
        if (i !== -1 && (i < 0 || i >= tensors.length)) {
          throw new FormatError(`${source}: subgraph ${gi} ${what} names tensor ${i} of ${tensors.length}`);
        }
      }
      return list;
    };
    const operators = g.tables(3).map((op, oi): TfliteOperator => {
      const codeIndex = op.uint32(0);
      const opcode = opcodes[codeIndex];
      if (opcode === undefined)
        throw new FormatError(`${source}: operator ${oi} has opcode index ${codeIndex} of ${opcodes.length}`);
      const where = `${source}: operator ${oi} (${opcode})`;
      return {
        opcode,
        inputs: checkIndices(op.int32s(1), `operator ${oi} inputs`),
        outputs: checkIndices(op.int32s(2), `operator ${oi} outputs`),
        options: operatorOptions(op, opcode, where),
      };
    });
    return {
      name: g.string(4) ?? '',
      tensors,
      inputs: checkIndices(g.int32s(1), 'inputs'),
      outputs: checkIndices(g.int32s(2), 'outputs'),
      operators,
    };
  });
  if (subgraphs.length === 0) throw new FormatError(`${source}: the model has no subgraph`);
  return { version: root.uint32(0), description: root.string(3) ?? '', subgraphs, buffers };
}
