// One "Train it here" run as the training worker drives it: the music package's RollTrainingSession (core's runner
// with the jsb task, checkpointed to memory) on the JSB chorales, a few steps at a time, keeping every step's loss,
// every validation and a short sample from each new best model — so a request cancelled between two updates (Pause)
// loses nothing. Plain TypeScript (no worker API): Node tests drive it directly.
import { mergeConfig, ValueError } from '@recurrent/core';
import {
  createTaskModel,
  generateRoll,
  rollDefaults,
  rollToNoteSequence,
  RollTrainingSession,
  type PianoRollSplits,
  type RollTrainConfig,
} from '@recurrent/music';
import { DEFAULT_ROLL_QPM } from './compose';
import type { TrainingSample, TrainSettings, TrainUpdate, ValidationView } from './protocol';

/** The validation NLL (nats per frame) the page and the README time the run to (see README: minutes in Chromium). */
export const TARGET_VALID_NLL = 9.0;

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = { hiddenSize: 128, epochs: 30, lr: 0.01, seed: 1 };

/** Frames of the sample drawn from each new best model. */
export const SAMPLE_FRAMES = 32;

/** What is wrong with settings, one message each (empty when they can train). */
export function trainSettingsProblems(s: TrainSettings): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.hiddenSize) || s.hiddenSize < 8 || s.hiddenSize > 256)
    problems.push(`hidden size must be a whole number in 8..256, got ${s.hiddenSize}`);
  if (!Number.isInteger(s.epochs) || s.epochs < 1 || s.epochs > 200)
    problems.push(`epochs must be a whole number in 1..200, got ${s.epochs}`);
  if (!(s.lr > 0 && s.lr <= 0.05)) problems.push(`learning rate must be in (0, 0.05], got ${s.lr}`);
  if (!Number.isInteger(s.seed) || s.seed < 0) problems.push(`seed must be a whole number ≥ 0, got ${s.seed}`);
  return problems;
}

/** The jsb task's config for the page's settings: its defaults (batch 8, clip 1, cosine lr) without dropout. */
export function trainConfig(s: TrainSettings): RollTrainConfig {
  return mergeConfig('jsb', rollDefaults('jsb'), {
    epochs: s.epochs,
    lr: s.lr,
    seed: s.seed,
    patience: 0,
    architecture: { hiddenSize: s.hiddenSize, numLayers: 1, cell: 'lstm', dropout: 0 },
  });
}

export class TrainingRun {
  readonly session: RollTrainingSession;
  readonly samples: TrainingSample[] = [];
  /** Trainable parameters of the model being trained. */
  readonly parameters: number;
  private sampledEpochs = new Set<number>();

  constructor(
    readonly runId: number,
    readonly settings: TrainSettings,
    data: PianoRollSplits,
  ) {
    const problems = trainSettingsProblems(settings);
    if (problems.length > 0) throw new ValueError(`bad training settings: ${problems.join('; ')}`);
    const config = trainConfig(settings);
    this.session = new RollTrainingSession(config, data, { command: 'music-demo: Train it here' });
    this.parameters = createTaskModel(config).numParameters();
  }

  get finished(): boolean {
    return this.session.finished;
  }

  /** Train up to `steps` steps; after a validation that improved on the best, sample the best model. */
  advance(steps: number): void {
    const p = this.session.advance(steps);
    const best = p.best;
    if (best && !this.sampledEpochs.has(best.epoch)) {
      const model = this.session.bestModel();
      if (model) {
        this.sampledEpochs.add(best.epoch);
        const spq = this.session.config.stepsPerQuarter;
        const { roll } = generateRoll(model, { steps: SAMPLE_FRAMES, seed: 0, temperature: 1 });
        const seq = rollToNoteSequence(roll, { stepsPerQuarter: spq }, { qpm: DEFAULT_ROLL_QPM });
        this.samples.push({
          epoch: best.epoch,
          validNll: best.value,
          roll,
          notes: seq.notes.map((n) => ({ pitch: n.pitch, start: n.startTime, end: n.endTime, velocity: 0.6 })),
          secondsPerFrame: 60 / DEFAULT_ROLL_QPM / spq,
        });
      }
    }
  }

  /** What the page lacks after holding `have` of each record. */
  updateSince(have: { losses: number; validations: number; samples: number }): TrainUpdate {
    const p = this.session.progress();
    const validations: ValidationView[] = p.history.map((h) => ({
      epoch: h.epoch,
      step: h.step,
      nll: h.metrics.nll ?? Number.NaN,
      trainLoss: h.trainLoss,
      seconds: h.seconds,
    }));
    return {
      runId: this.runId,
      step: p.step,
      totalSteps: p.totalSteps,
      epoch: p.epoch,
      seconds: p.seconds,
      parameters: this.parameters,
      firstLoss: have.losses,
      losses: p.stepLosses.slice(have.losses),
      firstValidation: have.validations,
      validations: validations.slice(have.validations),
      firstSample: have.samples,
      samples: this.samples.slice(have.samples),
      finished: p.finished,
    };
  }
}
