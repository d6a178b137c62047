// One race as the worker runs it: a CellComparison built from the page's settings, with every step's record and
// every gradient profile kept, so a request cancelled between two updates (Pause) loses nothing — the next request
// says what the page holds and gets the rest. Plain TypeScript (no worker API), so Node tests drive it directly.
import { CellComparison, longRangeTask, type CellName } from '@recurrent/core';
import type { HeldOutLoss, ProfileRecord, StepRecord, TrainUpdate } from './protocol';
import { profileEvery, settingsProblems, type RaceSettings } from './settings';

/** Held-out batches read once the budget is spent. */
const HELD_OUT_BATCHES = 4;

export class RaceRun {
  readonly comparison: CellComparison;
  readonly steps: StepRecord[] = [];
  readonly profiles: ProfileRecord[] = [];
  heldOut: HeldOutLoss[] | null = null;
  millis = 0;

  constructor(
    readonly runId: number,
    readonly settings: RaceSettings,
  ) {
    const problems = settingsProblems(settings);
    if (problems.length > 0) throw new Error(`bad race settings: ${problems.join('; ')}`);
    this.comparison = new CellComparison({
      task: longRangeTask(settings.task, { length: settings.length }),
      hiddenSize: settings.hiddenSize,
      batchSize: settings.batchSize,
      lr: settings.lr,
      clip: settings.clip,
      recurrentScale: settings.recurrentScale,
      lstmForgetBias: settings.lstmForgetBias,
      seed: settings.seed,
    });
    this.measureProfile();
  }

  get cells(): CellName[] {
    return this.comparison.cells;
  }

  get done(): boolean {
    return this.comparison.step >= this.settings.steps;
  }

  /** Train one step of every cell; measure the gradient profiles when the step is a profile step or the last. */
  advance(): void {
    if (this.done) throw new Error(`run ${this.runId} already spent its budget of ${this.settings.steps} steps`);
    const started = performance.now();
    const result = this.comparison.trainStep();
    this.steps.push(
      result.cells.map(({ loss, gradNorm, clipped, diverged }) => ({ loss, gradNorm, clipped, diverged })),
    );
    const step = this.comparison.step;
    if (step % profileEvery(this.settings.steps) === 0 || this.done) this.measureProfile();
    if (this.done) this.heldOut = this.comparison.evaluate({ batches: HELD_OUT_BATCHES });
    this.millis += performance.now() - started;
  }

  /** The records after the first `haveSteps` steps and `haveProfiles` profiles. */
  updateSince(haveSteps: number, haveProfiles: number): TrainUpdate {
    return {
      runId: this.runId,
      cells: this.cells,
      firstStep: haveSteps,
      steps: this.steps.slice(haveSteps),
      firstProfile: haveProfiles,
      profiles: this.profiles.slice(haveProfiles),
      millis: this.millis,
    };
  }

  private measureProfile(): void {
    this.profiles.push({ step: this.comparison.step, profiles: this.comparison.gradientProfile() });
  }
}
