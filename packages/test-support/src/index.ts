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
export * from './fuzz/index.js';
