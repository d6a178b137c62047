// The training loop lives in @recurrent/core (trainingLoop / runTraining); these names stay exported from here.
import type { TrainResult as RunnerResult } from '@recurrent/core';
import type { TrainConfig } from './config.js';

export { NonFiniteLossError, TrainingInterrupted } from '@recurrent/core';
export type { RunOptions } from '@recurrent/core/node';

/** What trainClassifier / trainLanguageModel return: the final trainer state, the config used, the output dir. */
export type TrainResult<C = TrainConfig> = RunnerResult<C> & { outDir: string };
