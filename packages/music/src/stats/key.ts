import { ValueError } from '@recurrent/core';
import type { KeyMode } from '../note-sequence.js';

/** Krumhansl–Kessler key profiles (probe-tone ratings, C major and C minor), index = pitch class above the tonic. */
export const KRUMHANSL_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
export const KRUMHANSL_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

export interface KeyEstimate {
  /** Tonic pitch class, 0 = C. */
  key: number;
  mode: KeyMode;
  /** Pearson correlation of the histogram with the winning rotated profile (−1..1). */
  correlation: number;
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/**
 * Krumhansl–Schmuckler key finding: correlate a 12-bin pitch-class histogram (durations or counts) with the
 * Krumhansl–Kessler major and minor profiles rotated to each of the 12 tonics, and take the best of the 24.
 * Ties: the lower tonic, major before minor. ValueError for a histogram that is not 12 non-negative numbers or
 * is all zero (no notes, no key).
 */
export function estimateKey(histogram: ArrayLike<number>): KeyEstimate {
  if (histogram.length !== 12)
    throw new ValueError(`estimateKey: the pitch-class histogram must have 12 bins, got ${histogram.length}`);
  let total = 0;
  for (let i = 0; i < 12; i++) {
    const v = histogram[i]!;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new ValueError(`estimateKey: bin ${i} is ${v}, expected a finite number ≥ 0`);
    total += v;
  }
  if (total === 0) throw new ValueError('estimateKey: the histogram is empty (no notes)');
  let best: KeyEstimate = { key: 0, mode: 'major', correlation: -Infinity };
  for (let key = 0; key < 12; key++) {
    for (const [mode, profile] of [
      ['major', KRUMHANSL_MAJOR],
      ['minor', KRUMHANSL_MINOR],
    ] as const) {
      const rotated = Array.from({ length: 12 }, (_, pc) => profile[(pc - key + 12) % 12]!);
      const r = pearson(histogram, rotated);
      if (r > best.correlation) best = { key, mode, correlation: r };
    }
  }
  return best;
}

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
// Natural minor plus the raised seventh (harmonic minor's leading tone), as minor-key music uses both.
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10, 11];

/** Pitch classes of a key's scale: major, or minor with both the natural and the raised seventh. */
export function scalePitchClasses(key: number, mode: KeyMode): Set<number> {
  if (!Number.isInteger(key) || key < 0 || key > 11)
    throw new ValueError(`scalePitchClasses: key must be a pitch class 0..11, got ${key}`);
  return new Set((mode === 'major' ? MAJOR_SCALE : MINOR_SCALE).map((d) => (d + key) % 12));
}
