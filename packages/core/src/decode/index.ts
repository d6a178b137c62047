// Decoding algorithms, generic over a step function so any autoregressive model can use them.
export type { LogProbs, StepOutput, StepFn, SelectStateFn, Hypothesis, SequenceDecodeOptions } from './types.js';
export type { TokenwiseOptions } from './tokenwise.js';
export { argmaxRow, greedyDecode, greedyDecodeBatch, type GreedyOptions } from './greedy.js';
export {
  beamSearch,
  beamSearchBatch,
  lengthPenaltyOf,
  type BeamSearchOptions,
  type BeamSearchBatchOptions,
  type LengthNormalization,
} from './beam.js';
export {
  samplingDistribution,
  sampleNext,
  sampleSequence,
  sampleSequenceBatch,
  type SamplingOptions,
  type SampleSequenceOptions,
} from './sampling.js';
