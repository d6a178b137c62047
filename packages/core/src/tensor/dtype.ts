import { chargeAllocation } from './allocation-budget.js';
/** Floating point element types. float32 is the default; float64 exists for gradient checks and parity. */
export type DType = 'float32' | 'float64';
export type Storage = Float32Array | Float64Array;

export function allocate(dtype: DType, size: number): Storage {
  chargeAllocation(size);
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(storage: Storage): DType {
  return storage instanceof Float64Array ? 'float64' : 'float32';
}

/** The dtype an op on several tensors computes in: float64 if any input is float64. */
export function promote(...dtypes: DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32';
}

let defaultDType: DType = 'float32';
export function getDefaultDType(): DType {
  return defaultDType;
}
/** Like torch.set_default_dtype: the dtype of tensors created without an explicit one. */
export function setDefaultDType(dtype: DType): void {
  defaultDType = dtype;
}
