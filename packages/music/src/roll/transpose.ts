import { ValueError } from '@recurrent/core';
import { PIANO_KEYS } from '../pitch.js';
import { createPianoRoll, type PianoRoll } from './piano-roll.js';

/** The lowest and highest key index (0..87) sounding anywhere in a roll; null for a silent roll. */
export function rollKeyRange(roll: PianoRoll): { low: number; high: number } | null {
  let low = PIANO_KEYS;
  let high = -1;
  for (let i = 0; i < roll.keys.length; i++) {
    if (!roll.keys[i]) continue;
    const k = i % PIANO_KEYS;
    if (k < low) low = k;
    if (k > high) high = k;
  }
  return high < 0 ? null : { low, high };
}

/** A roll moved by `semitones` (every sounding key must stay on the 88 keys: ValueError otherwise). */
export function transposeRoll(roll: PianoRoll, semitones: number): PianoRoll {
  if (!Number.isInteger(semitones))
    throw new ValueError(`transposeRoll: semitones must be an integer, got ${semitones}`);
  if (semitones === 0) return roll;
  const range = rollKeyRange(roll);
  if (range && (range.low + semitones < 0 || range.high + semitones >= PIANO_KEYS)) {
    throw new ValueError(
      `transposeRoll: keys ${range.low}..${range.high} moved by ${semitones} leave the 88 keys (0..${PIANO_KEYS - 1})`,
    );
  }
  const out = createPianoRoll(roll.frames);
  for (let f = 0; f < roll.frames; f++) {
    const base = f * PIANO_KEYS;
    for (let k = 0; k < PIANO_KEYS; k++) if (roll.keys[base + k]) out.keys[base + k + semitones] = 1;
  }
  return out;
}
