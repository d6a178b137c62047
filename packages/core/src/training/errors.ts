import { ValueError } from '../errors.js';

/** Thrown when the training loss, gradient norm or a weight stops being finite; the last checkpoint stays as it was. */
export class NonFiniteLossError extends ValueError {}

/** Thrown by a run told to stop after a given step (`stopAfterStep`: simulates a killed process in tests). */
export class TrainingInterrupted extends Error {
  constructor(readonly step: number) {
    super(`training interrupted after step ${step} (checkpoint written)`);
    this.name = 'TrainingInterrupted';
  }
}
