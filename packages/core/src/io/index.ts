// Browser-safe I/O. The file-system helpers (safetensors-file.ts, paths.ts) are exported from src/node.ts.
export {
  decodeSafetensors,
  encodeSafetensors,
  SAFETENSORS_DTYPE_SIZES,
  MAX_HEADER_BYTES,
  type DecodedSafetensors,
  type DecodeOptions,
  type EncodeOptions,
  type SafetensorsDType,
} from './safetensors.js';
export { checkStoredDtypes, FLOAT_STORAGE_DTYPES } from './stored-dtypes.js';
