import { ValueError } from '../errors.js';

/** Thrown when the training loss, gradient norm or a weight stops being finite; the last checkpoint stays as it was. */
export class NonFiniteLossError extends ValueError {}

/** Why and where an interrupted run stopped. */
export interface InterruptionDetails {
  /** What stopped it (e.g. 'SIGINT'); null for `stopAfterStep`. */
  signal?: string | null;
  /** The step of the newest checkpoint on disk (null: none was written). Default: `step`. */
  checkpointStep?: number | null;
}

/**
 * Thrown by a run that stopped before its end: told to stop after a given step (`stopAfterStep`: simulates a killed
 * process in tests) or interrupted by a signal (`interrupted`).
 */
export class TrainingInterrupted extends Error {
  readonly signal: string | null;
  readonly checkpointStep: number | null;
  constructor(
    readonly step: number,
    details: InterruptionDetails = {},
  ) {
    const signal = details.signal ?? null;
    const checkpointStep = details.checkpointStep === undefined ? step : details.checkpointStep;
    const saved =
      checkpointStep === null
        ? 'no checkpoint written'
        : checkpointStep === step
          ? 'checkpoint written'
          : `last checkpoint: step ${checkpointStep}`;
    super(`training interrupted${signal ? ` by ${signal}` : ''} after step ${step} (${saved})`);
    this.name = 'TrainingInterrupted';
    this.signal = signal;
    this.checkpointStep = checkpointStep;
  }
}
