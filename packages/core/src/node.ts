// Node-only helpers (file system). The main entry point stays browser-safe.
export { findDataDir, findReferenceDir } from './io/paths.js';
export { saveSafetensorsFile, loadSafetensorsFile, saveModule, loadModule } from './io/safetensors-file.js';
export { writeFileAtomic } from './io/atomic-file.js';
export { readRegularFile } from './io/read-file.js';
export { initWasmThreads, type WasmThreadsOptions } from './kernels/wasm/node-threads.js';
export {
  fileCheckpointStore,
  loadTrainingCheckpoint,
  runTraining,
  type RunOptions,
} from './training/files.js';
export { loadModelDir, readModelDirConfig, recordedTrainingTask } from './registry/model-dir.js';
export type { CliIO, TaskCommandContext, EvalContext, TrainingTaskRegistration } from './registry/training-tasks.js';
export {
  UsageError,
  parseArgs,
  kebabToCamel,
  camelToKebab,
  typedValue,
  takeFlag,
  takeString,
  takeNumber,
  takeBoolean,
  rejectLeftovers,
  type ParsedArgs,
} from './cli/args.js';
export {
  runTaskCli,
  taskCliUsage,
  configFromFlags,
  readConfigFile,
  startKernels,
  useInvocationDirectory,
  processIO,
  type TaskCliSpec,
  type CliCommand,
  type CommandContext,
} from './cli/task-cli.js';
