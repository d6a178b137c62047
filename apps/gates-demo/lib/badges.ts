// The one-line state of each cell the page shows beside its name: solved, exploded, a gradient spike, clipped, or
// still on the input-blind plateau. Pure, unit-tested.
import type { CellTrack } from './race-log';

/** A gradient norm above this (before clipping) is called a spike: an explosion, survived or not. */
export const SPIKE_NORM = 100;

export interface Badge {
  kind: 'solved' | 'exploded' | 'spike' | 'clipped' | 'plateau' | 'worse' | 'learning';
  text: string;
}

const sci = (x: number) => x.toExponential(1);

/** The badges of one cell after `step` steps of a task with this baseline (most important first). */
export function badgesOf(track: CellTrack, step: number, baselineLoss: number): Badge[] {
  const out: Badge[] = [];
  if (track.divergedAt !== null) out.push({ kind: 'exploded', text: `exploded at step ${track.divergedAt}` });
  if (track.solvedAt !== null) out.push({ kind: 'solved', text: `solved at step ${track.solvedAt}` });
  const peak = track.peakGradNorm;
  if (peak !== null && peak.value > SPIKE_NORM) {
    out.push({ kind: 'spike', text: `gradient spike ‖∇‖ = ${sci(peak.value)} at step ${peak.step}` });
  }
  if (track.clippedSteps > 0) out.push({ kind: 'clipped', text: `clipped ${track.clippedSteps} of ${step} steps` });
  if (track.divergedAt === null && track.solvedAt === null) {
    const now = track.smoothed[track.smoothed.length - 1] ?? Number.NaN;
    if (step >= 100 && now > 1.25 * baselineLoss) out.push({ kind: 'worse', text: 'worse than input-blind' });
    else if (step >= 100 && now > 0.8 * baselineLoss) out.push({ kind: 'plateau', text: 'on the input-blind plateau' });
    else if (step > 0) out.push({ kind: 'learning', text: 'learning' });
  }
  return out;
}
