import { writeFileAtomic } from './atomic-file.js';
import { readFileChecked } from './file-checks.js';
import { checkStoredDtypes } from './stored-dtypes.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module, LoadStateDictOptions } from '../nn/module.js';
import { FormatError } from '../errors.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  type DecodeOptions,
  type DecodedSafetensors,
  type EncodeOptions,
} from './safetensors.js';

/**
 * Write `tensors` (and optional string metadata) to `path` as safetensors, atomically: the bytes go to
 * a temporary file beside it, are flushed to disk, and the file is renamed into place, so a crash never
 * leaves a half-written checkpoint under the real name.
 */
export function saveSafetensorsFile(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string> | null,
  options: EncodeOptions = {},
): void {
  const bytes = encodeSafetensors(tensors, metadata, options);
  writeFileAtomic(path, bytes);
}

/** Read and fully validate a safetensors file; format problems are FormatErrors that name the file. */
export function loadSafetensorsFile(path: string, options: DecodeOptions = {}): DecodedSafetensors {
  const bytes = readFileChecked(path, 'a safetensors file');
  try {
    return decodeSafetensors(bytes, options);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Save a module's state dict (parameters and buffers, PyTorch names) as a safetensors checkpoint. */
export function saveModule(
  module: Module,
  path: string,
  metadata?: Record<string, string> | null,
  options: EncodeOptions = {},
): void {
  saveSafetensorsFile(path, module.stateDict(), metadata, options);
}

/**
 * Load a safetensors checkpoint into `module`. The file is decoded and validated completely, then
 * Module.loadStateDict checks names, shapes and finiteness before copying, so on any error the module
 * is untouched; a tensor stored as an integer type is a FormatError naming it. Returns the file's metadata.
 */
export function loadModule(module: Module, path: string, options: LoadStateDictOptions = {}): Record<string, string> {
  const { tensors, metadata, dtypes } = loadSafetensorsFile(path);
  checkStoredDtypes(module, dtypes, path);
  module.loadStateDict(tensors, options);
  return metadata;
}
