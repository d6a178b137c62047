// Node-only helpers (file system). The main entry point stays browser-safe.
export { findDataDir, findReferenceDir } from './io/paths.js';
export { saveSafetensorsFile, loadSafetensorsFile, saveModule, loadModule } from './io/safetensors-file.js';
export { initWasmThreads, type WasmThreadsOptions } from './kernels/wasm/node-threads.js';
