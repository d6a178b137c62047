export * from './errors.js';
export * from './tensor/dtype.js';
export * from './tensor/shape.js';
export { Tensor, type TensorOptions } from './tensor/tensor.js';
export * from './tensor/creation.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export * from './ops/arithmetic.js';
export * from './ops/matmul.js';
export { pinLinear, type PinnedLinear } from './ops/pinned-linear.js';
export * from './ops/embedding.js';
export * from './ops/dropout.js';
export { Module, type StateDict, type LoadStateDictOptions } from './nn/module.js';
export { ModuleList } from './nn/module-list.js';
export * as init from './nn/init.js';
export type { ParameterOptions } from './nn/options.js';
export { Linear, type LinearOptions } from './nn/linear.js';
export { Embedding, type EmbeddingOptions } from './nn/embedding.js';
export { Dropout, type DropoutOptions } from './nn/dropout.js';
export { registerParityHandler, type ParityHandler, type ParityResult } from './parity/registry.js';
export { runCase, DEFAULT_TOLERANCES, type CaseReport } from './parity/runner.js';
export { relativeError } from './parity/compare.js';
export {
  ProgressBar,
  progressLines,
  type ProgressOptions,
  type ProgressLinesOptions,
  type ReportProgress,
} from './progress.js';
export {
  conv2d,
  conv2dOutputShape,
  samePadding,
  type Conv2dOptions,
  type Conv2dPadding,
  type ConvActivation,
  type Size2d,
} from './ops/conv.js';
export { ResidentConvSession, type ResidentActivation } from './ops/conv-session.js';
export {
  maxPool2d,
  avgPool2d,
  adaptiveAvgPool2d,
  type MaxPool2dOptions,
  type AvgPool2dOptions,
  type AdaptiveSize,
} from './ops/pool.js';
export { layerNorm } from './ops/layernorm.js';
export { Conv2d, type Conv2dModuleOptions } from './nn/conv2d.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type AdaptiveAvgPool2dOptions } from './nn/pool.js';
export { LayerNorm, type LayerNormOptions } from './nn/layernorm.js';
export { ReLU, Tanh, Sigmoid, GELU, Sequential, type TensorModule } from './nn/activations.js';
import './ops/methods.js';
export * from './ops/unary.js';
export * from './ops/reduce.js';
export * from './ops/softmax.js';
export * from './ops/shape.js';
export * from './ops/indexing.js';
export { useBackend, getBackend, initWasm, isWasmReady, type BackendName } from './kernels/backend.js';
export { wasmSimdSupported } from './kernels/wasm/loader.js';
export * from './losses/index.js';
export { CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, MSELoss } from './nn/losses.js';
export * from './optim/index.js';
export * from './io/index.js';
export { RNN, type RNNOptions } from './nn/rnn.js';
export { LSTM, type LSTMOptions } from './nn/lstm.js';
export { GRU, type GRUOptions } from './nn/gru.js';
export { RNNCell, LSTMCell, GRUCell, type RecurrentCellOptions, type RNNCellOptions } from './nn/cells.js';
export {
  RecurrentBase,
  type RecurrentLayerOptions,
  type RecurrentMode,
  type PinnedWeightsHandle,
} from './nn/recurrent.js';
export {
  detachState,
  type RecurrentState,
  type RecurrentForwardOptions,
  type RecurrentOutput,
} from './nn/recurrent-state.js';
export { hiddenGradientNorms, type HiddenGradientOptions } from './diagnostics/hidden-gradients.js';
export {
  additiveAttention,
  dotAttention,
  attentionMask,
  type AttentionMaskOptions,
  type AttentionResult,
  type DotAttentionOptions,
} from './ops/attention.js';
export {
  Attention,
  AdditiveAttention,
  LuongAttention,
  type AdditiveAttentionOptions,
  type LuongAttentionOptions,
  type LuongScore,
  type AttentionForwardOptions,
  type PreparedKeys,
} from './nn/attention.js';
export * from './decode/index.js';
export { LstmSession, lstmSessionUnsupported, type LstmLanguageModelParts } from './nn/lstm-session.js';
export {
  Seq2Seq,
  AttentionDecoder,
  tokenBatch,
  type Seq2SeqOptions,
  type AttentionDecoderOptions,
  type CellType,
  type AttentionType,
  type TokenBatch,
  type DecoderState,
  type DecoderMemory,
  type DecodingState,
  type TranslateMethod,
  type TranslateOptions,
  type Translation,
} from './nn/seq2seq.js';
export {
  addingProblem,
  copyTask,
  longRangeTask,
  type LongRangeTask,
  type LongRangeTaskName,
  type LongRangeTaskOptions,
  type LongRangeBatch,
} from './diagnostics/long-range-tasks.js';
export {
  CellComparison,
  CELL_NAMES,
  type CellName,
  type CellComparisonOptions,
  type CellStep,
  type ComparisonStep,
  type GradientProfile,
} from './diagnostics/cell-comparison.js';
export { NonFiniteLossError, TrainingInterrupted, type InterruptionDetails } from './training/errors.js';
export {
  RUNNER_CONFIG_DEFAULTS,
  OPTIMIZER_NAMES,
  checkRunnerConfig,
  checkPositiveInt,
  checkNonNegativeInt,
  makeOptimizer,
  mergeConfig,
  mergeTaskConfig,
  isValidSeed,
  MAX_SEED,
  type ConfigExamples,
  type RunnerConfig,
  type OptimizerName,
} from './training/config.js';
export {
  freshTrainerState,
  formatMetrics,
  type TrainerState,
  type ValidationRecord,
  type BestValidation,
} from './training/state.js';
export { optimizerStep, assertFiniteWeights } from './training/guards.js';
export { epochGenerator } from './training/epoch-generator.js';
export {
  encodeTrainingCheckpoint,
  decodeTrainingCheckpoint,
  TRAINING_CHECKPOINT_FORMAT,
  TRAINING_CHECKPOINT_FILE,
  type CarriedState,
  type TrainingCheckpoint,
  type DecodeCheckpointOptions,
} from './training/checkpoint.js';
export type {
  TrainingTaskDefinition,
  TaskRun,
  BatchLoss,
  MetricSelection,
  SavedModelInfo,
  BuildContext,
  TrainResult,
} from './training/task.js';
export {
  trainingLoop,
  trainingLoopAsync,
  trainingSteps,
  taskIdentity,
  type CheckpointStore,
  type TrainingLoopOptions,
} from './training/loop.js';
export {
  registerModelKind,
  modelKinds,
  findModelKind,
  describeModelKinds,
  modelKindOf,
  loadModelFromFiles,
  readModelConfig,
  fileBytes,
  fileText,
  fileJson,
  MODEL_CONFIG_FILE,
  ModelSizeError,
  withFileSizeBudget,
  type ModelKind,
  type ModelFile,
  type ModelFiles,
} from './registry/model-kinds.js';
export {
  registerTrainingTask,
  trainingTasks,
  findTrainingTask,
  resolveTrainingConfig,
  type TrainingTaskRegistration,
  type TaskCommandContext,
  type EvalContext,
  type CliIO,
} from './registry/training-tasks.js';
export {
  makeLrScheduler,
  checkLrScheduleConfig,
  LR_SCHEDULE_DEFAULTS,
  LR_SCHEDULE_NAMES,
  type LrScheduleConfig,
  type LrScheduleName,
} from './training/schedule.js';
