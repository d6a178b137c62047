export {
  area,
  findCycles,
  importEdges,
  importGraph,
  moduleImports,
  type ImportEdge,
  type ModuleImport,
} from './import-graph.js';
export { nodeOnlyImports, reachableImports, type ExternalImport } from './entry-imports.js';
export { captureCli, type CapturedIO, type CapturedRun } from './cli-capture.js';
export { firstTensorOfDtype, relabelSafetensorsDtype } from './safetensors-edit.js';
export { runAndSignal, type SignalledRun } from './signal-run.js';
export * from './fuzz/index.js';
export {
  compareRunDirs,
  killAndResume,
  VOLATILE_KEYS,
  type KillResumeOptions,
  type KillResumeReport,
  type KillResumeTask,
} from './kill-resume.js';
export { KILL_RESUME_TASKS, REPOSITORY_ROOT, runFileChecker } from './kill-resume-tasks.js';
