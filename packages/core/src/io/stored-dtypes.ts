import { FormatError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { SafetensorsDType } from './safetensors.js';

/** Stored dtypes a module's (floating-point) tensors accept: F32 and F64 as such, F16 and BF16 widened on load. */
export const FLOAT_STORAGE_DTYPES: readonly SafetensorsDType[] = ['F32', 'F64', 'F16', 'BF16'];

/**
 * A FormatError when a tensor that `module` holds is stored in `dtypes` (a decoded safetensors file's dtypes) as an
 * integer or boolean type: the same byte size read as integers is garbage weights. The message names the tensor, the
 * module's dtype and the stored one; `source` (the file) starts it when given.
 */
export function checkStoredDtypes(
  module: Module,
  dtypes: Readonly<Record<string, SafetensorsDType>>,
  source?: string,
): void {
  for (const [name, t] of Object.entries(module.stateDict())) {
    const stored = dtypes[name];
    if (stored === undefined || FLOAT_STORAGE_DTYPES.includes(stored)) continue;
    const expected = t.dtype === 'float64' ? 'F64' : 'F32';
    throw new FormatError(
      `${source ? `${source}: ` : ''}tensor '${name}' is stored as ${stored}, expected ${expected} ` +
        `(the model's ${t.dtype} weights; F16, BF16 and F64/F32 are converted, integer types are not)`,
    );
  }
}
