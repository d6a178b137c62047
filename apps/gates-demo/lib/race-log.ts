// What the page holds of a race: every step of every cell, a smoothed loss curve, and the events the badges show
// (solved, exploded, clipped). Pure functions of the worker's updates, so they are unit-tested without a browser.
import type { CellName } from '@recurrent/core';
import type { ProfileRecord, TrainUpdate } from './protocol';

/** Weight of the newest step in the smoothed training loss (an exponential moving average, bias-corrected). */
export const SMOOTHING = 0.05;

export interface CellTrack {
  cell: CellName;
  /** Training loss of every step (NaN once diverged). */
  losses: number[];
  /** The exponential moving average of `losses`, one value per step. */
  smoothed: number[];
  /** Global gradient norm before clipping, every step. */
  gradNorms: number[];
  clippedSteps: number;
  /** The step (1-based) at which the loss or gradient stopped being finite, or null. */
  divergedAt: number | null;
  /** The first step whose smoothed training loss is below the task's "solved" threshold, or null. */
  solvedAt: number | null;
  /** Largest finite gradient norm seen, and at which step. */
  peakGradNorm: { value: number; step: number } | null;
  /** Running state of the moving average. */
  average: { sum: number; weight: number };
}

export interface RaceLog {
  runId: number;
  tracks: CellTrack[];
  profiles: ProfileRecord[];
  /** Training steps held. */
  step: number;
  millis: number;
}

export function emptyLog(runId: number): RaceLog {
  return { runId, tracks: [], profiles: [], step: 0, millis: 0 };
}

function newTrack(cell: CellName): CellTrack {
  return {
    cell,
    losses: [],
    smoothed: [],
    gradNorms: [],
    clippedSteps: 0,
    divergedAt: null,
    solvedAt: null,
    peakGradNorm: null,
    average: { sum: 0, weight: 0 },
  };
}

/**
 * `log` with `update` appended (a new object; the arrays of the tracks are copied so React sees the change). An
 * update of another run, or one that does not continue where the log ends, is an error: the page would draw a
 * wrong curve.
 */
export function appendUpdate(log: RaceLog, update: TrainUpdate, solvedBelow: number): RaceLog {
  if (update.runId !== log.runId) throw new Error(`update of run ${update.runId} given to run ${log.runId}`);
  if (update.firstStep !== log.step) {
    throw new Error(`update starts at step ${update.firstStep} but the page holds ${log.step} steps`);
  }
  if (update.firstProfile !== log.profiles.length) {
    throw new Error(`update starts at profile ${update.firstProfile} but the page holds ${log.profiles.length}`);
  }
  const base = log.tracks.length > 0 ? log.tracks : update.cells.map(newTrack);
  const tracks = base.map((t, i): CellTrack => {
    const next: CellTrack = {
      ...t,
      losses: [...t.losses],
      smoothed: [...t.smoothed],
      gradNorms: [...t.gradNorms],
      average: { ...t.average },
    };
    update.steps.forEach((record, k) => {
      const r = record[i];
      if (!r) throw new Error(`step ${update.firstStep + k + 1} has no record for ${t.cell}`);
      const step = update.firstStep + k + 1;
      next.losses.push(r.diverged ? Number.NaN : r.loss);
      next.gradNorms.push(r.gradNorm);
      if (r.clipped) next.clippedSteps++;
      if (r.diverged && next.divergedAt === null) next.divergedAt = step;
      if (Number.isFinite(r.gradNorm) && (next.peakGradNorm === null || r.gradNorm > next.peakGradNorm.value)) {
        next.peakGradNorm = { value: r.gradNorm, step };
      }
      if (r.diverged || !Number.isFinite(r.loss)) {
        next.smoothed.push(Number.NaN);
        return;
      }
      next.average.sum = (1 - SMOOTHING) * next.average.sum + SMOOTHING * r.loss;
      next.average.weight = (1 - SMOOTHING) * next.average.weight + SMOOTHING;
      const smooth = next.average.sum / next.average.weight;
      next.smoothed.push(smooth);
      if (next.solvedAt === null && smooth < solvedBelow) next.solvedAt = step;
    });
    return next;
  });
  return {
    runId: log.runId,
    tracks,
    profiles: [...log.profiles, ...update.profiles],
    step: log.step + update.steps.length,
    millis: update.millis,
  };
}

/** The newest gradient profile, or null before the first. */
export function latestProfile(log: RaceLog): ProfileRecord | null {
  return log.profiles[log.profiles.length - 1] ?? null;
}

/** log10 of a positive finite value, NaN otherwise (a gap in a log-scale chart). */
export function log10OrGap(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.log10(value) : Number.NaN;
}

/** A tick of a log-scale axis (its log10 value) as a readable number: 1e-6, 0.001, 0.01, 0.1, 1, 10, 1e+3. */
export function formatPowerOfTen(exponent: number): string {
  const value = 10 ** exponent;
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return value.toPrecision(2);
  if (exponent >= -2 && exponent <= 2) return String(Number(value.toPrecision(1)));
  return value.toExponential(0);
}

/** Integer ticks from floor(lo) to ceil(hi) (at most ~8, every k-th power when the range is wide). */
export function logTicks(lo: number, hi: number): { domain: [number, number]; ticks: number[] } {
  const from = Math.floor(Number.isFinite(lo) ? lo : -1);
  const to = Math.max(from + 1, Math.ceil(Number.isFinite(hi) ? hi : 0)) + 0; // + 0: no -0 tick
  const every = Math.max(1, Math.ceil((to - from) / 8));
  const ticks: number[] = [];
  for (let t = from; t <= to; t += every) ticks.push(t);
  return { domain: [from, to], ticks };
}

/** The smallest and largest finite value of the series (NaN, NaN when there is none). */
export function finiteExtent(series: readonly (readonly number[])[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const values of series) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
}
