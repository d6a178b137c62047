// @recurrent/demo-kit, browser entry: what every demo page shares. The worker side is '@recurrent/demo-kit/worker',
// the Chromium test helpers '@recurrent/demo-kit/e2e', the Next config '@recurrent/demo-kit/next-config', the build-
// time model copy '@recurrent/demo-kit/copy-models', the CSS '@recurrent/demo-kit/styles.css'.
export * from './protocol';
export {
  CancelledError,
  InferenceClient,
  isSuperseded,
  SupersededError,
  WorkerFailedError,
  type RequestOptions,
  type WorkerLike,
  type WorkerSource,
} from './client';
export { basePath, withBasePath } from './base-path';
export {
  describeHandlerError,
  describeModelLoadError,
  errorMessage,
  isOutOfMemory,
  ModelDownloadError,
} from './errors';
export {
  fetchManifest,
  httpStatusText,
  isModelName,
  manifestUrl,
  modelFileUrl,
  parseManifest,
  type ModelManifest,
  type ShippedModel,
} from './manifest';
export { navLinks, siteInfo, type NavLink, type SiteDemo, type SiteInfo } from './site';
export * from './charts/geometry';
export * from './charts/heatmap';
export { SiteShell, type SiteShellProps } from './components/SiteShell';
export { SiteNav } from './components/SiteNav';
export { ModelPicker, megabytes } from './components/ModelPicker';
export { ModelStatus, progressText } from './components/ModelStatus';
export { Notices, type Notice } from './components/Notices';
export { WorkerFailureAlert } from './components/WorkerFailureAlert';
export { LineChart, type ChartBand, type LineChartProps, type LineSeries } from './components/LineChart';
export { Heatmap, type HeatmapProps } from './components/Heatmap';
export {
  extensionOf,
  formatBytes,
  readUpload,
  UploadError,
  uploadProblem,
  type UploadedFile,
  type UploadRules,
} from './files/upload';
export { downloadBytes } from './files/download';
export { ResumableRun, type ResumableRunOptions, type RunPhase, type RunSnapshot } from './runs/resumable-run';
export { useResumableRun } from './hooks/useResumableRun';
export { hasKind, useShippedModels, type ManifestState } from './hooks/useShippedModels';
export { useWorkerFailure, useWorkerRestarts } from './hooks/useWorkerFailure';
export { useInferenceClient } from './hooks/useInferenceClient';
export { useModelLoad, type ModelLoadState } from './hooks/useModelLoad';
