import { ShapeError, ValueError } from '@recurrent/core';
import { HIGHEST_PIANO_PITCH, LOWEST_PIANO_PITCH, PIANO_KEYS } from '../pitch.js';

/**
 * An 88-key binary piano roll: `keys[f * 88 + k]` is 1 when MIDI pitch 21 + k sounds in frame f, else 0 (the layout
 * of the Boulanger-Lewandowski 2012 benchmarks).
 */
export interface PianoRoll {
  frames: number;
  keys: Uint8Array;
}

/** A silent roll of `frames` frames. */
export function createPianoRoll(frames: number): PianoRoll {
  if (!Number.isInteger(frames) || frames < 0)
    throw new ValueError(`createPianoRoll: frames must be a non-negative integer, got ${frames}`);
  return { frames, keys: new Uint8Array(frames * PIANO_KEYS) };
}

/** ShapeError when `keys` is not frames × 88, ValueError for an entry that is not 0 or 1; `what` names the roll. */
export function validatePianoRoll(roll: PianoRoll, what = 'piano roll'): void {
  if (!Number.isInteger(roll.frames) || roll.frames < 0)
    throw new ValueError(`${what}: frames must be a non-negative integer, got ${roll.frames}`);
  if (!(roll.keys instanceof Uint8Array)) throw new ValueError(`${what}: keys must be a Uint8Array`);
  if (roll.keys.length !== roll.frames * PIANO_KEYS) {
    throw new ShapeError(
      `${what}: keys must hold frames × 88 = ${roll.frames * PIANO_KEYS} entries, got ${roll.keys.length}`,
    );
  }
  const bad = roll.keys.findIndex((v) => v > 1);
  if (bad >= 0) {
    throw new ValueError(
      `${what}: frame ${Math.floor(bad / PIANO_KEYS)}, key ${bad % PIANO_KEYS} is ${roll.keys[bad]}, expected 0 or 1`,
    );
  }
}

/**
 * A roll from one list of sounding MIDI pitches per frame (the JSON layout of the piano-roll datasets). Duplicates
 * (a unison of two voices) count once. ValueError naming `what`, the frame and the pitch for anything that is not
 * an integer in 21..108.
 */
export function rollFromPitchLists(frames: readonly (readonly number[])[], what = 'pitch lists'): PianoRoll {
  if (!Array.isArray(frames)) throw new ValueError(`${what}: expected a list of frames, got ${typeof frames}`);
  const roll = createPianoRoll(frames.length);
  frames.forEach((pitches, f) => {
    if (!Array.isArray(pitches))
      throw new ValueError(`${what}[${f}]: expected a list of MIDI pitches, got ${JSON.stringify(pitches)}`);
    for (const p of pitches) {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < LOWEST_PIANO_PITCH || p > HIGHEST_PIANO_PITCH) {
        throw new ValueError(`${what}[${f}]: ${JSON.stringify(p)} is not a piano MIDI pitch (an integer in 21..108)`);
      }
      roll.keys[f * PIANO_KEYS + p - LOWEST_PIANO_PITCH] = 1;
    }
  });
  return roll;
}

/** The sounding MIDI pitches of every frame, ascending. */
export function rollToPitchLists(roll: PianoRoll): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < roll.frames; f++) {
    const pitches: number[] = [];
    for (let k = 0; k < PIANO_KEYS; k++) if (roll.keys[f * PIANO_KEYS + k]) pitches.push(LOWEST_PIANO_PITCH + k);
    out.push(pitches);
  }
  return out;
}

/** Frames from..to (exclusive) of a roll, as a new roll. */
export function sliceRoll(roll: PianoRoll, from: number, to: number = roll.frames): PianoRoll {
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= roll.frames)) {
    throw new ValueError(`sliceRoll: need 0 ≤ from ≤ to ≤ ${roll.frames}, got ${from}..${to}`);
  }
  return { frames: to - from, keys: roll.keys.slice(from * PIANO_KEYS, to * PIANO_KEYS) };
}

/** Rolls one after another. */
export function concatRolls(rolls: readonly PianoRoll[]): PianoRoll {
  const out = createPianoRoll(rolls.reduce((s, r) => s + r.frames, 0));
  let at = 0;
  for (const r of rolls) {
    out.keys.set(r.keys, at);
    at += r.keys.length;
  }
  return out;
}
