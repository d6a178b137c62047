import { Tensor } from '../tensor/tensor.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { FormatError } from '../errors.js';

/** A value in a parity file: a tensor, a number, a list of either, or a plain JSON value (lengths, configs). */
export type CaseValue = Tensor | number | CaseValue[] | unknown;

/** One PyTorch reference case (format: shared/reference/README.md), with tensors materialised in `dtype`. */
export interface ParityCase {
  name: string;
  module: string;
  config: Record<string, unknown>;
  note?: string;
  stateDict: Record<string, Tensor>;
  inputs: Record<string, CaseValue>;
  outputs: Record<string, CaseValue>;
  lossWeights: Record<string, Tensor>;
  loss?: number;
  grads: Record<string, CaseValue>;
  dtype: DType;
}

interface RawTensor {
  shape: number[];
  data: number[];
}

function isRawTensor(v: unknown): v is RawTensor {
  return (
    typeof v === 'object' && v !== null && Array.isArray((v as RawTensor).shape) && Array.isArray((v as RawTensor).data)
  );
}

export function materialise(v: unknown, dtype: DType, where: string): CaseValue {
  if (isRawTensor(v)) {
    const n = v.shape.reduce((a, b) => a * b, 1);
    if (v.data.length !== n)
      throw new FormatError(`${where}: ${v.data.length} values for shape [${v.shape.join(', ')}]`);
    const data = allocate(dtype, n);
    for (let i = 0; i < n; i++) data[i] = v.data[i]!;
    return new Tensor(data, v.shape);
  }
  if (Array.isArray(v)) return v.map((x, i) => materialise(x, dtype, `${where}[${i}]`));
  return v;
}

function tensorsOf(v: unknown, dtype: DType, where: string): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    const t = materialise(raw, dtype, `${where}.${k}`);
    if (!(t instanceof Tensor)) throw new FormatError(`${where}.${k} must be a tensor {shape, data}`);
    out[k] = t;
  }
  return out;
}

function valuesOf(v: unknown, dtype: DType, where: string): Record<string, CaseValue> {
  const out: Record<string, CaseValue> = {};
  for (const [k, raw] of Object.entries((v ?? {}) as Record<string, unknown>))
    out[k] = materialise(raw, dtype, `${where}.${k}`);
  return out;
}

export function parseCase(name: string, json: unknown, dtype: DType): ParityCase {
  if (typeof json !== 'object' || json === null) throw new FormatError(`${name}: not a JSON object`);
  const j = json as Record<string, unknown>;
  if (typeof j.module !== 'string') throw new FormatError(`${name}: missing "module"`);
  return {
    name,
    module: j.module,
    config: (j.config ?? {}) as Record<string, unknown>,
    note: typeof j.note === 'string' ? j.note : undefined,
    stateDict: tensorsOf(j.state_dict, dtype, 'state_dict'),
    inputs: valuesOf(j.inputs, dtype, 'inputs'),
    outputs: valuesOf(j.outputs, dtype, 'outputs'),
    lossWeights: tensorsOf(j.loss_weights, dtype, 'loss_weights'),
    loss: typeof j.loss === 'number' ? j.loss : undefined,
    grads: valuesOf(j.grads, dtype, 'grads'),
    dtype,
  };
}

/** An input that must be a tensor; a clear error otherwise. */
export function inputTensor(c: ParityCase, key: string): Tensor {
  const v = c.inputs[key];
  if (!(v instanceof Tensor)) throw new FormatError(`${c.name}: input '${key}' missing or not a tensor`);
  return v;
}

export function inputNumbers(c: ParityCase, key: string): number[] | undefined {
  const v = c.inputs[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  if (v instanceof Tensor) return v.toArray();
  throw new FormatError(`${c.name}: input '${key}' must be a list of numbers`);
}
