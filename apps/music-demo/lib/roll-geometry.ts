// How a piano roll is drawn (components/PianoRoll.tsx): which pitches are shown, the size of a frame and a key, and
// the notes as runs of sounding frames. Plain TypeScript, unit-tested.
const KEYS = 88;
const LOWEST = 21;

export interface RollLike {
  frames: number;
  keys: Uint8Array;
}

/** A note drawn on the roll: key `pitch` sounds from frame `start` for `length` frames. */
export interface RollNote {
  pitch: number;
  start: number;
  length: number;
}

/** Each run of consecutive sounding frames of a key as one note, by start then pitch. */
export function rollNotes(roll: RollLike): RollNote[] {
  const notes: RollNote[] = [];
  for (let k = 0; k < KEYS; k++) {
    let start = -1;
    for (let f = 0; f <= roll.frames; f++) {
      const on = f < roll.frames && roll.keys[f * KEYS + k] === 1;
      if (on && start < 0) start = f;
      if (!on && start >= 0) {
        notes.push({ pitch: LOWEST + k, start, length: f - start });
        start = -1;
      }
    }
  }
  return notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/**
 * The pitches to show: every sounding key and every key the model gave at least `minProbability`, two keys of margin,
 * at least two octaves; C4 (60) ± an octave for an empty roll.
 */
export function pitchRange(
  roll: RollLike,
  probabilities: Float32Array | null,
  minProbability = 0.05,
): { low: number; high: number } {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  const see = (k: number) => {
    low = Math.min(low, LOWEST + k);
    high = Math.max(high, LOWEST + k);
  };
  for (let i = 0; i < roll.frames * KEYS; i++) if (roll.keys[i] === 1) see(i % KEYS);
  if (probabilities)
    for (let i = 0; i < probabilities.length; i++) if ((probabilities[i] ?? 0) >= minProbability) see(i % KEYS);
  if (!Number.isFinite(low)) return { low: 48, high: 72 };
  low = Math.max(LOWEST, low - 2);
  high = Math.min(LOWEST + KEYS - 1, high + 2);
  while (high - low < 24) {
    if (low > LOWEST) low--;
    if (high - low < 24 && high < LOWEST + KEYS - 1) high++;
  }
  return { low, high };
}

/** Width of a frame in SVG units: the roll fills `width` between 1 and 18 units a frame. */
export function frameWidth(frames: number, width: number): number {
  if (frames <= 0) return 18;
  return Math.max(1, Math.min(18, width / frames));
}

/** "C4" for 60 (C, and the octave number, only on the Cs: the roll's labels). */
export function cLabel(pitch: number): string | null {
  return pitch % 12 === 0 ? `C${pitch / 12 - 1}` : null;
}
